package dev.latchkey.server.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The refresh decision without a database: what is stored, the token and the time in. */
class RefreshPolicyTest {
  private static final long NOW = 1_900_000_000_000L;
  private static final long IDLE = Duration.ofHours(1).toMillis();
  private static final long GRACE = Duration.ofSeconds(10).toMillis();
  private static final long MIN_INTERVAL = RefreshSettings.DEFAULT_MIN_INTERVAL.toMillis();
  private static final long LONG_AGO = NOW - Duration.ofHours(1).toMillis();

  private final RefreshTokenChain chain = new RefreshTokenChain(new byte[32]);
  private final RefreshPolicy policy =
      new RefreshPolicy(
          RefreshSettings.on(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8))
              .withReuseGrace(Duration.ofMillis(GRACE)),
          chain);
  private final String presented = RefreshTokenChain.first();

  private static RefreshFamily family(long idleExpiresAt, long absoluteExpiresAt, String current) {
    return TestRefreshFamilies.family(
        "sid-1", "user-1", idleExpiresAt, absoluteExpiresAt, null, current, LONG_AGO, LONG_AGO);
  }

  private static RefreshFamily rotatedAt(String current, long rotatedAt, long lastUsedAt) {
    return TestRefreshFamilies.family(
        "sid-1", "user-1", NOW + IDLE, NOW + IDLE, null, current, rotatedAt, lastUsedAt);
  }

  private RefreshDecision current(RefreshFamily family) {
    return policy.decide(presented, new StoredRefreshToken.Current(family), NOW);
  }

  private RefreshDecision spent(RefreshFamily family, long spentAt) {
    return policy.decide(presented, new StoredRefreshToken.Spent(family, spentAt), NOW);
  }

  @Test
  void theCurrentTokenOfALiveSessionRotatesToItsChild() {
    RefreshFamily family = family(NOW + 1, NOW + IDLE * 5, RefreshTokenChain.hash(presented));

    assertThat(current(family))
        .isEqualTo(new RefreshDecision.Rotate(family, chain.child(presented), NOW + IDLE));
  }

  @Test
  void theIdleLifetimeNeverReachesPastTheAbsoluteEnd() {
    RefreshFamily family = family(NOW + 1, NOW + 1000, RefreshTokenChain.hash(presented));

    assertThat(((RefreshDecision.Rotate) current(family)).idleExpiresAt()).isEqualTo(NOW + 1000);
  }

  @Test
  void theCurrentTokenOfAnEndedSessionIsRefusedAsExpired() {
    RefreshFamily idle = family(NOW, NOW + IDLE, RefreshTokenChain.hash(presented));
    RefreshFamily absolute = family(NOW + IDLE, NOW, RefreshTokenChain.hash(presented));

    assertThat(current(idle))
        .isEqualTo(new RefreshDecision.Reject("sid-1", RefreshFailure.EXPIRED));
    assertThat(current(absolute))
        .isEqualTo(new RefreshDecision.Reject("sid-1", RefreshFailure.EXPIRED));
  }

  @Test
  void aTokenSpentWithinTheGraceGetsTheFamilysCurrentToken() {
    String latest = chain.child(chain.child(presented));
    RefreshFamily family = family(NOW + IDLE, NOW + IDLE, RefreshTokenChain.hash(latest));

    assertThat(spent(family, NOW - GRACE)).isEqualTo(new RefreshDecision.HandOver(family, latest));
  }

  @Test
  void aTokenSpentBeforeTheGraceRevokesItsSession() {
    RefreshFamily family =
        family(NOW + IDLE, NOW + IDLE, RefreshTokenChain.hash(chain.child(presented)));

    assertThat(spent(family, NOW - GRACE - 1)).isEqualTo(new RefreshDecision.RevokeFamily("sid-1"));
  }

  @Test
  void aSpentTokenOutsideTheFamilysChainRevokesItsSession() {
    RefreshFamily family =
        family(NOW + IDLE, NOW + IDLE, RefreshTokenChain.hash(RefreshTokenChain.first()));

    assertThat(spent(family, NOW)).isEqualTo(new RefreshDecision.RevokeFamily("sid-1"));
  }

  @Test
  void aSpentTokenOfARevokedOrEndedSessionIsRefused() {
    RefreshFamily revoked =
        TestRefreshFamilies.family(
            "sid-1", "user-1", NOW + IDLE, NOW + IDLE, NOW, null, LONG_AGO, LONG_AGO);
    RefreshFamily ended = family(NOW - 1, NOW + IDLE, RefreshTokenChain.hash(presented));

    assertThat(spent(revoked, NOW))
        .isEqualTo(new RefreshDecision.Reject("sid-1", RefreshFailure.REVOKED));
    assertThat(spent(ended, NOW))
        .isEqualTo(new RefreshDecision.Reject("sid-1", RefreshFailure.EXPIRED));
  }

  @Test
  void anUnknownTokenIsRefused() {
    assertThat(policy.decide(presented, new StoredRefreshToken.Unknown(null), NOW))
        .isEqualTo(new RefreshDecision.Reject(null, RefreshFailure.UNKNOWN));
    assertThat(policy.decide(presented, new StoredRefreshToken.Unknown("gone"), NOW))
        .isEqualTo(new RefreshDecision.Reject("gone", RefreshFailure.UNKNOWN));
  }

  @Test
  void aCurrentTokenWithinTheMinimumIntervalStaysCurrentWithoutRotating() {
    String hash = RefreshTokenChain.hash(presented);
    RefreshFamily recent = rotatedAt(hash, NOW - MIN_INTERVAL + 1, NOW - MIN_INTERVAL + 1);
    RefreshFamily due = rotatedAt(hash, NOW - MIN_INTERVAL, NOW - MIN_INTERVAL);

    assertThat(current(recent)).isEqualTo(new RefreshDecision.Keep(recent, presented));
    assertThat(current(due)).isInstanceOf(RefreshDecision.Rotate.class);
  }

  @Test
  void aPredecessorOfANeverUsedCurrentTokenAfterTheGraceRevokesTheFamily() {
    long spentAt = NOW - GRACE - 1;
    // The rotation that spent the presented token issued the current one, unused since: a lost
    // answer retried, or a thief who refreshed first and the owner coming back. Keeping the
    // family would help only the thief.
    RefreshFamily unused =
        rotatedAt(RefreshTokenChain.hash(chain.child(presented)), spentAt, spentAt);

    assertThat(spent(unused, spentAt)).isEqualTo(new RefreshDecision.RevokeFamily("sid-1"));
  }

  @Test
  void nothingRefreshesForADisabledUser() {
    String hash = RefreshTokenChain.hash(presented);
    RefreshFamily disabled =
        TestRefreshFamilies.family(
            "sid-1", "user-1", NOW + IDLE, NOW + IDLE, null, hash, LONG_AGO, LONG_AGO, true);
    RefreshFamily disabledOn =
        TestRefreshFamilies.family(
            "sid-1",
            "user-1",
            NOW + IDLE,
            NOW + IDLE,
            null,
            RefreshTokenChain.hash(chain.child(presented)),
            NOW - 1,
            NOW - 1,
            true);

    assertThat(current(disabled))
        .isEqualTo(new RefreshDecision.Reject("sid-1", RefreshFailure.USER_DISABLED));
    assertThat(spent(disabledOn, NOW - 1))
        .as("not even a parallel tab's hand-over")
        .isEqualTo(new RefreshDecision.Reject("sid-1", RefreshFailure.USER_DISABLED));
  }

  @Test
  void aSpentTokenIsTheftOnceTheFamilyShowsAnotherUse() {
    long spentAt = NOW - GRACE - 1;
    String child = RefreshTokenChain.hash(chain.child(presented));
    // The current token was used since (a hand-over or a kept refresh)...
    RefreshFamily used = rotatedAt(child, spentAt, spentAt + 5);
    // ...or rotated again: the presented token is two steps behind.
    RefreshFamily rotatedAgain =
        rotatedAt(RefreshTokenChain.hash(chain.child(chain.child(presented))), spentAt, spentAt);

    assertThat(spent(used, spentAt)).isEqualTo(new RefreshDecision.RevokeFamily("sid-1"));
    assertThat(spent(rotatedAgain, spentAt)).isEqualTo(new RefreshDecision.RevokeFamily("sid-1"));
    assertThat(spent(rotatedAt(child, NOW - 1000, NOW - 1000), spentAt))
        .isEqualTo(new RefreshDecision.RevokeFamily("sid-1"));
  }
}
