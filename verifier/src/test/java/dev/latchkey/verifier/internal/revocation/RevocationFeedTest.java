package dev.latchkey.verifier.internal.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.latchkey.testing.Await;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.testing.MutableTicker;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.PublicKeyBuilder;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.RevocationSettings;
import dev.latchkey.verifier.VerifierMetrics;
import dev.latchkey.verifier.testing.Keys;
import dev.latchkey.verifier.testing.Reasons;
import dev.latchkey.verifier.testing.RevocationServer;
import dev.latchkey.verifier.testing.RevocationServer.Mode;
import dev.latchkey.verifier.testing.Tokens;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The revocation feed consumer against a real feed endpoint on a loopback port, on a test clock:
 * polls are due by the clock (every 30 s of it), the poller thread checks every 10 ms of wall time.
 */
class RevocationFeedTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final Duration SKEW = Duration.ofSeconds(60); // Defaults.CLOCK_SKEW

  private final MutableClock clock = MutableClock.standard();
  private final RSAKey key = Keys.rsa("k1");
  private RevocationServer server;
  private JwtVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    server = new RevocationServer(clock);
  }

  @AfterEach
  void stop() {
    if (verifier != null) {
      verifier.close();
    }
    server.close();
  }

  private RevocationSettings.Builder feed() {
    return RevocationSettings.builder(server.uri())
        .pollInterval(INTERVAL)
        .backgroundCheck(Duration.ofMillis(10))
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(2));
  }

  private PublicKeyBuilder builder() {
    return builder(feed());
  }

  private PublicKeyBuilder builder(RevocationSettings.Builder feed) {
    return JwtVerifier.withJwkSet(new JWKSet(key.toPublicJWK()))
        .issuer(Tokens.ISSUER)
        .audience(Tokens.AUDIENCE)
        .clock(clock)
        .ticker(clock::nanoTime)
        .revocationFeed(feed.build());
  }

  private long failedAtStart;

  /**
   * Builds the verifier and waits for its start-up poll (polled again at once if that one failed,
   * e.g. timed out in a cold, loaded JVM: the next due poll would be a whole interval away).
   */
  private JwtVerifier started(PublicKeyBuilder b) {
    verifier = b.build();
    Await.until(
        () ->
            verifier.metrics().revocationPollsOk() + verifier.metrics().revocationPollsFailed()
                > 0);
    if (verifier.metrics().revocationPollsOk() == 0) {
      assertThat(verifier.refreshRevocations()).isTrue();
    }
    failedAtStart = verifier.metrics().revocationPollsFailed();
    return verifier;
  }

  private long pollsOkSinceStart() {
    return verifier.metrics().revocationPollsOk() - 1;
  }

  private long pollsFailedSinceStart() {
    return verifier.metrics().revocationPollsFailed() - failedAtStart;
  }

  private String token(String sid) {
    return Tokens.rs256(key, clock, c -> c.claim("sid", sid));
  }

  private RejectionReason reasonOf(String token) {
    return Reasons.reasonOf(verifier, token);
  }

  /** Moves the clock past the poll interval and waits for the poll that then falls due. */
  private void nextPoll() {
    long ok = verifier.metrics().revocationPollsOk();
    long failed = verifier.metrics().revocationPollsFailed();
    clock.advance(INTERVAL);
    Await.until(
        () ->
            verifier.metrics().revocationPollsOk() + verifier.metrics().revocationPollsFailed()
                > ok + failed);
  }

  @Test
  void aRevokedSidIsRejectedAfterTheNextPollAndOtherSidsPass() {
    started(builder());
    String revokedToken = token("session-7");
    String otherToken = token("session-8");
    String noSid = Tokens.rs256(key, clock, c -> c.claim("sid", null));
    assertThat(reasonOf(revokedToken)).isNull();

    server.revoke("session-7");
    clock.advance(INTERVAL.minusSeconds(1));
    // Not polled yet: within the staleness bound the token still passes.
    assertThat(reasonOf(revokedToken)).isNull();
    assertThat(pollsOkSinceStart()).isZero();

    clock.advance(Duration.ofSeconds(1));
    Await.until(() -> pollsOkSinceStart() == 1);

    assertThat(reasonOf(revokedToken)).isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(otherToken)).isNull();
    assertThat(reasonOf(noSid)).isNull();
    VerifierMetrics m = verifier.metrics();
    assertThat(m.revokedSessionsHeld()).isEqualTo(1);
    assertThat(m.rejected(RejectionReason.REVOKED)).isEqualTo(1);
    assertThat(m.revocationFeedAge()).isEqualTo(Duration.ZERO);
  }

  @Test
  void theVerifiedTokenCacheDoesNotLetARevokedSidPass() {
    started(builder());
    String t = token("session-7");
    verifier.verify(t);
    verifier.verify(t);
    assertThat(verifier.metrics().cacheHits()).isEqualTo(1);

    server.revoke("session-7");
    assertThat(verifier.refreshRevocations()).isTrue();

    assertThat(reasonOf(t)).isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(t)).isEqualTo(RejectionReason.REVOKED);
  }

  @Test
  void theFeedAndTheIsRevokedHookEachRevoke() {
    List<String> hookSaw = new java.util.concurrent.CopyOnWriteArrayList<>();
    started(
        builder()
            .verifiedTokenCache(false)
            .isRevoked(
                t -> {
                  hookSaw.add(t.sessionId());
                  return "session-9".equals(t.sessionId());
                }));
    server.revoke("session-7");
    verifier.refreshRevocations();

    assertThat(reasonOf(token("session-7"))).isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(token("session-9"))).isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(token("session-8"))).isNull();
    assertThat(hookSaw).containsExactly("session-9", "session-8");
  }

  @Test
  void theFirstPollAsksForASnapshotThenFollowsTheCursor() {
    started(builder());
    server.revoke("session-7");
    nextPoll();
    server.revoke("session-8");
    server.revoke("session-9");
    nextPoll();

    assertThat(server.queries()).startsWith("null").endsWith("after=0", "after=1");
    assertThat(verifier.metrics().revocationCursor()).isEqualTo(3);
    assertThat(reasonOf(token("session-7"))).isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(token("session-9"))).isEqualTo(RejectionReason.REVOKED);
  }

  @Test
  void aSessionIsHeldUntilItsLastTokenExpiresNotForAFixedRetention() {
    started(builder());
    Instant until = clock.instant().plus(Duration.ofHours(5)); // longer than any fixed retention
    server.revoke("session-7", until);
    verifier.refreshRevocations();
    Date exp = Date.from(until.plus(Duration.ofHours(1))); // a token still valid meanwhile
    String t = Tokens.rs256(key, clock, c -> c.claim("sid", "session-7").expirationTime(exp));

    clock.set(until.plus(SKEW).minusSeconds(1));
    assertThat(reasonOf(t)).isEqualTo(RejectionReason.REVOKED);

    clock.advance(Duration.ofSeconds(1));
    assertThat(reasonOf(t)).isNull();

    verifier.refreshRevocations(); // a poll prunes what no longer matters
    assertThat(verifier.metrics().revokedSessionsHeld()).isZero();
  }

  @Test
  void aSnapshotReplacesWhatIsHeld() {
    started(builder());
    server.revoke("session-7");
    verifier.refreshRevocations();
    // The auth server lost its entries and restarted its sequence lower than our cursor:
    server.purge();
    server.raw(
        "{\"revoked\":[{\"sid\":\"session-8\",\"at\":1,\"until\":"
            + clock.instant().plus(Duration.ofHours(1)).getEpochSecond()
            + "}],\"keys\":[],\"cursor\":1,\"snapshot\":true,\"now\":1}");
    verifier.refreshRevocations();

    assertThat(reasonOf(token("session-7"))).isNull();
    assertThat(reasonOf(token("session-8"))).isEqualTo(RejectionReason.REVOKED);
    assertThat(verifier.metrics().revocationCursor()).isEqualTo(1);
  }

  @Test
  void aRevokedKeyIsRefusedAtTheNextPoll() {
    RSAKey other = Keys.rsa("k2");
    started(
        JwtVerifier.withJwkSet(new JWKSet(List.of(key.toPublicJWK(), other.toPublicJWK())))
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .clock(clock)
            .ticker(clock::nanoTime)
            .revocationFeed(feed().build()));
    String byK1 = token("session-1");
    String byK2 = Tokens.rs256(other, clock, c -> c.claim("sid", "session-2"));
    verifier.verify(byK1); // cached

    server.revokeKey("k1", clock.instant().plus(Duration.ofHours(1)));
    nextPoll();

    assertThat(reasonOf(byK1)).isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(byK2)).isNull();
  }

  /**
   * Polls run on the monotonic ticker, token times on the wall clock: a wall-clock step of an hour
   * either way neither starts nor stops polls, nor changes the feed's age; a revocation made after
   * the step is refused one poll interval (of the ticker) later.
   */
  @ParameterizedTest
  @ValueSource(longs = {-3600, 3600})
  void aWallClockStepChangesNoBound(long stepSeconds) throws Exception {
    MutableTicker ticker = new MutableTicker();
    started(builder().ticker(ticker));
    String before = token("session-1");
    server.revoke("session-1", clock.instant().plus(Duration.ofHours(1)));

    clock.advance(Duration.ofSeconds(stepSeconds));
    Thread.sleep(100); // ten background checks: a wall step alone makes no poll due
    assertThat(pollsOkSinceStart()).isZero();
    String after = token("session-2");
    server.revoke("session-2", clock.instant().plus(Duration.ofHours(1)));

    ticker.advance(INTERVAL.minusSeconds(1));
    Thread.sleep(100);
    assertThat(pollsOkSinceStart()).isZero();
    assertThat(verifier.metrics().revocationFeedAge()).isEqualTo(INTERVAL.minusSeconds(1));
    ticker.advance(Duration.ofSeconds(1));
    Await.until(() -> pollsOkSinceStart() == 1);

    assertThat(reasonOf(after)).isEqualTo(RejectionReason.REVOKED);
    // after a step back its iat lies ahead (not_yet_valid); after a step forward it is revoked
    assertThat(reasonOf(before)).isNotNull();
    assertThat(reasonOf(token("session-3"))).isNull();
    assertThat(verifier.metrics().revocationFeedAge()).isEqualTo(Duration.ZERO);
  }

  @Test
  void anOutageKeepsTheHeldSet() {
    started(builder());
    server.revoke("session-7");
    nextPoll();
    assertThat(reasonOf(token("session-7"))).isEqualTo(RejectionReason.REVOKED);

    server.stop(); // connection refused from now on
    nextPoll();
    nextPoll();

    VerifierMetrics m = verifier.metrics();
    assertThat(pollsFailedSinceStart()).isEqualTo(2);
    assertThat(m.revokedSessionsHeld()).isEqualTo(1);
    assertThat(m.revocationFeedAge()).isEqualTo(INTERVAL.multipliedBy(2));
    assertThat(reasonOf(token("session-7"))).isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(token("session-8"))).isNull();
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"ERROR_500", "HUGE_CHUNKED", "HUGE_DECLARED"})
  void failingAndOversizedAnswersAreCountedAndKeepTheHeldSet(Mode mode) {
    started(builder(feed().maxResponseBytes(10_000)));
    server.revoke("session-7");
    verifier.refreshRevocations();

    server.mode(mode);
    assertThat(verifier.refreshRevocations()).isFalse();

    assertThat(pollsFailedSinceStart()).isEqualTo(1);
    assertThat(verifier.metrics().revokedSessionsHeld()).isEqualTo(1);
    assertThat(reasonOf(token("session-7"))).isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(token("session-8"))).isNull();

    server.mode(Mode.SERVE); // and the feed recovers
    server.revoke("session-8");
    assertThat(verifier.refreshRevocations()).isTrue();
    assertThat(reasonOf(token("session-8"))).isEqualTo(RejectionReason.REVOKED);
  }

  private static final List<String> MALFORMED =
      List.of(
          "",
          "<html>not json</html>",
          "[]",
          "null",
          "{}",
          "{\"revoked\":[]}",
          "{\"revoked\":[],\"keys\":[],\"snapshot\":false,\"now\":1}",
          "{\"revoked\":[],\"keys\":[],\"cursor\":-3,\"snapshot\":false,\"now\":1}",
          "{\"revoked\":[],\"keys\":{},\"cursor\":3,\"snapshot\":false,\"now\":1}",
          "{\"revoked\":[{\"sid\":\"s\",\"at\":1}],\"keys\":[],\"cursor\":3,\"snapshot\":false,"
              + "\"now\":1}",
          "{\"now\":1700000000}",
          "{\"revoked\":\"session-9\",\"now\":1700000000}",
          "{\"revoked\":[\"session-9\"],\"now\":1700000000}",
          "{\"revoked\":[{\"sid\":9,\"at\":1700000000}],\"now\":1700000000}",
          "{\"revoked\":[{\"sid\":\"\",\"at\":1700000000}],\"now\":1700000000}",
          "{\"revoked\":[{\"sid\":\"" + "x".repeat(257) + "\",\"at\":1700000000}],\"now\":1}",
          "{\"revoked\":[{\"sid\":\"session-9\"}],\"now\":1700000000}",
          "{\"revoked\":[{\"sid\":\"session-9\",\"at\":\"soon\"}],\"now\":1700000000}",
          "{\"revoked\":[{\"sid\":\"session-9\",\"at\":-1}],\"now\":1700000000}",
          "{\"revoked\":[{\"sid\":\"session-9\",\"at\":1.5}],\"now\":1700000000}",
          "{\"revoked\":[{\"sid\":\"session-9\",\"at\":1e300}],\"now\":1700000000}",
          "{\"revoked\":[],\"now\":\"now\"}",
          "{\"revoked\":[{\"sid\":\"session-9\",\"at\":1700000000}],\"now\":1700000000",
          "{\"revoked\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",\"now\":1}");

  @Test
  void malformedAnswersAreCountedAsFailuresAndNeverCrash() {
    started(builder());
    server.revoke("session-7");
    verifier.refreshRevocations();

    for (String body : MALFORMED) {
      server.raw(body);
      assertThat(verifier.refreshRevocations()).as(body).isFalse();
    }

    assertThat(pollsFailedSinceStart()).isEqualTo(MALFORMED.size());
    assertThat(verifier.metrics().revokedSessionsHeld()).isEqualTo(1);
    assertThat(reasonOf(token("session-7"))).isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(token("session-9"))).isNull();
    // The poller thread survived: the next due poll still happens.
    server.mode(Mode.SERVE);
    nextPoll();
    assertThat(pollsOkSinceStart()).isEqualTo(2);
  }

  @Test
  void verifyNeverWaitsOnTheFeedEvenBeforeItsFirstAnswer() {
    server.revoke("session-7");
    server.hold(); // the start-up poll hangs in the server until released
    verifier = builder(feed().readTimeout(Duration.ofSeconds(5))).verifiedTokenCache(false).build();
    Await.until(() -> server.holding() == 1);

    assertTimeoutPreemptively(
        Duration.ofSeconds(4),
        () -> {
          // No answer yet: only the hook (none here) can revoke, and nothing waits for the feed.
          assertThat(reasonOf(token("session-7"))).isNull();
          assertThat(reasonOf(token("session-8"))).isNull();
        });
    assertThat(server.holding()).isEqualTo(1); // verify() returned while the poll was still held
    assertThat(verifier.metrics().revocationFeedAge()).isNull();

    server.release();
    Await.until(() -> verifier.metrics().revocationPollsOk() == 1);
    assertThat(reasonOf(token("session-7"))).isEqualTo(RejectionReason.REVOKED);
  }

  @Test
  void verifyNeverWaitsOnAHangingPoll() {
    started(builder(feed().readTimeout(Duration.ofSeconds(5))));
    server.revoke("session-7");
    verifier.refreshRevocations();
    String revoked = token("session-7");
    String other = token("session-8");

    server.hold();
    clock.advance(INTERVAL);
    Await.until(() -> server.holding() == 1);
    assertTimeoutPreemptively(
        Duration.ofSeconds(4),
        () -> {
          for (int i = 0; i < 100; i++) {
            assertThat(reasonOf(revoked)).isEqualTo(RejectionReason.REVOKED);
            assertThat(reasonOf(other)).isNull();
          }
        });
    assertThat(server.holding()).isEqualTo(1);
    server.release();
  }

  @Test
  void closeStopsThePoller() {
    started(builder());
    assertThat(pollerThreads()).isPositive();

    verifier.close();

    Await.until(() -> pollerThreads() == 0);
    int requests = server.requests();
    clock.advance(INTERVAL.multipliedBy(3));
    assertThat(verifier.refreshRevocations()).isFalse();
    assertThat(server.requests()).isEqualTo(requests);
  }

  private static long pollerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("latchkey-revocations-"))
        .count();
  }

  @Test
  void withoutAFeedTheMetricsSaySo() {
    JwtVerifier plain =
        JwtVerifier.withJwkSet(new JWKSet(key.toPublicJWK()))
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .build();
    VerifierMetrics m = plain.metrics();
    assertThat(m.revocationPollsOk()).isZero();
    assertThat(m.revocationPollsFailed()).isZero();
    assertThat(m.revokedSessionsHeld()).isZero();
    assertThat(m.revocationFeedAge()).isNull();
    assertThat(plain.refreshRevocations()).isFalse();
  }

  @Test
  void theSettingsRefuseABadFeedConfiguration() {
    List<UnaryOperator<RevocationSettings.Builder>> bad =
        List.of(
            b -> RevocationSettings.builder(URI.create("ftp://auth.example/api/revocations")),
            b -> RevocationSettings.builder(URI.create("file:///etc/revocations")),
            b -> RevocationSettings.builder(URI.create("https://auth.example/r#fragment")),
            b -> b.pollInterval(Duration.ZERO),
            b -> b.pollInterval(Duration.ofSeconds(-1)),
            b -> b.maxResponseBytes(0));
    for (UnaryOperator<RevocationSettings.Builder> edit : bad) {
      assertThatThrownBy(() -> edit.apply(feed()).build())
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(pollerThreads()).isZero();
  }
}
