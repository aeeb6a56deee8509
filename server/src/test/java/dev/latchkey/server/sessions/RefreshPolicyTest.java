package dev.latchkey.server.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The refresh decision without a database: what is stored, the token and the time in. */
class RefreshPolicyTest {
  private static final long NOW = 1_900_000_000_000L;
  private static final long IDLE = Duration.ofHours(1).toMillis();
  private static final long GRACE = Duration.ofSeconds(10).toMillis();

  private final RefreshTokenChain chain = new RefreshTokenChain(new byte[32]);
  private final RefreshPolicy policy =
      new RefreshPolicy(
          RefreshSettings.on(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8))
              .withReuseGrace(Duration.ofMillis(GRACE)),
          chain);
  private final String presented = RefreshTokenChain.first();

  private static RefreshFamily family(long idleExpiresAt, long absoluteExpiresAt, String current) {
    return new RefreshFamily("sid-1", "user-1", idleExpiresAt, absoluteExpiresAt, null, current);
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
    RefreshFamily revoked = new RefreshFamily("sid-1", "user-1", NOW + IDLE, NOW + IDLE, NOW, null);
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
}
