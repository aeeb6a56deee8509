package dev.latchkey.verifier.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import dev.latchkey.verifier.JwksSettings;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.testing.Await;
import dev.latchkey.verifier.testing.JwksServer;
import dev.latchkey.verifier.testing.JwksServer.Mode;
import dev.latchkey.verifier.testing.Keys;
import dev.latchkey.verifier.testing.MutableClock;
import dev.latchkey.verifier.testing.Reasons;
import dev.latchkey.verifier.testing.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JWKS key source against a real HTTP endpoint on a loopback port, on a test clock. */
class JwksKeySourceTest {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final Duration AHEAD = Duration.ofMinutes(1);
  private static final Duration OUTAGE = Duration.ofMinutes(5);
  private static final Duration RATE_WINDOW = Duration.ofSeconds(6); // 10 fetches a minute

  private final MutableClock clock = MutableClock.startingNow();
  private final RSAKey k1 = Keys.rsa("k1");
  private final RSAKey k2 = Keys.rsa("k2");
  private JwksServer server;
  private JwtVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    server = new JwksServer(k1.toPublicJWK());
    verifier = verifier(settings());
  }

  // Timeouts well above a loopback answer on a loaded 2-core machine, below the SLOW mode's 3 s.
  private static JwksSettings.Builder settings() {
    return JwksSettings.builder()
        .cacheTtl(TTL)
        .refreshAhead(AHEAD)
        .outageWindow(OUTAGE)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(2));
  }

  private JwtVerifier verifier(JwksSettings.Builder settings) {
    return JwtVerifier.withJwksUrl(server.uri())
        .jwks(settings.build())
        .issuer(Tokens.ISSUER)
        .audience(Tokens.AUDIENCE)
        .clock(clock)
        .ticker(clock::nanoTime)
        .build();
  }

  @AfterEach
  void stop() {
    verifier.close();
    server.close();
  }

  private RejectionReason reasonOf(String token) {
    return Reasons.reasonOf(verifier, token);
  }

  @Test
  void firstUseFetchesTheSetAndVerifies() {
    VerifiedToken t = verifier.verify(Tokens.rs256(k1, clock));

    assertThat(t.subject()).isEqualTo("user-42");
    assertThat(t.keyId()).isEqualTo("k1");
    assertThat(t.sessionId()).isEqualTo("session-7");
    assertThat(server.requests()).isEqualTo(1);
    assertThat(verifier.metrics().jwksFetchesOk()).isEqualTo(1);
    assertThat(verifier.metrics().keysHeld()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(42));
    assertThat(verifier.metrics().keysAge()).isEqualTo(Duration.ofSeconds(42));
  }

  @Test
  void keysAreFetchedAtStartUpInTheBackground() {
    Await.until(() -> verifier.metrics().jwksFetchesOk() == 1);

    verifier.verify(Tokens.rs256(k1, clock));

    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void rotationPicksUpANewKidOnFirstUse() {
    verifier.verify(Tokens.rs256(k1, clock));
    server.publish(k1.toPublicJWK(), k2.toPublicJWK());
    clock.advance(RATE_WINDOW.plusSeconds(1));

    VerifiedToken t = verifier.verify(Tokens.rs256(k2, clock));

    assertThat(t.keyId()).isEqualTo("k2");
    assertThat(server.requests()).isEqualTo(2);
    assertThat(verifier.verify(Tokens.rs256(k1, clock)).keyId()).isEqualTo("k1");
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void removedKeyIsRefusedAfterTheNextRefreshEvenIfCached() {
    server.publish(k1.toPublicJWK(), k2.toPublicJWK());
    String byK1 =
        Tokens.rs256(
            k1,
            clock,
            c -> c.expirationTime(java.util.Date.from(clock.instant().plus(Duration.ofHours(2)))));
    verifier.verify(byK1);
    verifier.verify(byK1); // now in the verified-token cache
    assertThat(verifier.metrics().cacheHits()).isEqualTo(1);

    server.publish(k2.toPublicJWK()); // k1 revoked at the issuer
    clock.advance(TTL.minus(AHEAD)); // background refresh due
    verifier.verify(Tokens.rs256(k2, clock)); // served from held keys, starts the refresh
    Await.until(() -> verifier.metrics().jwksFetchesOk() == 2);

    assertThat(reasonOf(byK1)).isEqualTo(RejectionReason.UNKNOWN_KEY);
    assertThat(verifier.verify(Tokens.rs256(k2, clock)).keyId()).isEqualTo("k2");
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"ERROR_500", "GARBAGE", "EMPTY_SET", "MALFORMED_SET", "SLOW", "HUGE"})
  void outageKeepsHeldKeysForTheWindowThenRefuses(Mode mode) {
    String token =
        Tokens.rs256(
            k1,
            clock,
            c -> c.expirationTime(java.util.Date.from(clock.instant().plus(Duration.ofDays(1)))));
    verifier.verify(token);
    server.mode(mode);

    clock.advance(TTL.plusSeconds(1)); // cache expired, endpoint failing
    assertThat(verifier.verify(token).keyId()).isEqualTo("k1");
    Await.until(() -> verifier.metrics().jwksFetchesFailed() >= 1);
    clock.advance(OUTAGE.minusSeconds(2));
    assertThat(verifier.verify(Tokens.rs256(k1, clock)).keyId()).isEqualTo("k1");

    clock.advance(Duration.ofSeconds(2)); // beyond TTL + outage window
    assertThat(reasonOf(token)).isEqualTo(RejectionReason.KEYS_UNAVAILABLE);
    assertThat(verifier.metrics().rejected(RejectionReason.KEYS_UNAVAILABLE)).isEqualTo(1);

    server.mode(Mode.SERVE); // endpoint back: keys come back at the next allowed fetch
    clock.advance(RATE_WINDOW);
    assertThat(verifier.verify(token).keyId()).isEqualTo("k1");
  }

  @Test
  void connectionRefusedIsAnOutageToo() {
    verifier.verify(Tokens.rs256(k1, clock));
    server.stop();

    clock.advance(TTL.plusSeconds(1));
    assertThat(verifier.verify(Tokens.rs256(k1, clock)).keyId()).isEqualTo("k1");
    Await.until(() -> verifier.metrics().jwksFetchesFailed() == 1);
    clock.advance(OUTAGE);
    assertThat(reasonOf(Tokens.rs256(k1, clock))).isEqualTo(RejectionReason.KEYS_UNAVAILABLE);
  }

  @Test
  void endpointDownAtStartGivesKeysUnavailableThenRecovers() {
    server.mode(Mode.ERROR_500);
    String token = Tokens.rs256(k1, clock);

    assertThat(reasonOf(token)).isEqualTo(RejectionReason.KEYS_UNAVAILABLE);
    server.mode(Mode.SERVE);
    assertThat(reasonOf(token)).isEqualTo(RejectionReason.KEYS_UNAVAILABLE); // rate-limited
    assertThat(server.requests()).isEqualTo(1);

    clock.advance(RATE_WINDOW);
    assertThat(verifier.verify(token).keyId()).isEqualTo("k1");
  }

  @Test
  void floodOfUnknownKidsCausesAtMostOneFetchAndNeverBlocksKnownKeys() throws Exception {
    String valid = Tokens.rs256(k1, clock);
    verifier.verify(valid);
    clock.advance(RATE_WINDOW.plusSeconds(1)); // a refetch is allowed again
    int before = server.requests();
    RSAKey attacker = Keys.rsa("attacker");
    List<String> flood = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      flood.add(
          Tokens.sign(
              attacker,
              Tokens.header(JWSAlgorithm.RS256, UUID.randomUUID().toString()).build(),
              Tokens.claims(clock).build()));
    }

    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger validPassed = new AtomicInteger();
    List<Future<RejectionReason>> results = new ArrayList<>();
    try {
      for (String t : flood) {
        results.add(pool.submit(() -> reasonOf(t)));
        pool.submit(
            () -> {
              verifier.verify(valid);
              validPassed.incrementAndGet();
            });
      }
      for (Future<RejectionReason> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(RejectionReason.UNKNOWN_KEY);
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(server.requests() - before).isLessThanOrEqualTo(1);
    assertThat(validPassed.get()).isEqualTo(200);
    assertThat(verifier.metrics().rejected(RejectionReason.UNKNOWN_KEY)).isEqualTo(200);
  }

  @Test
  void hugeResponseIsRefusedUnreadBeyondTheCap() {
    server.mode(Mode.HUGE); // 2 MiB, chunked

    assertThat(reasonOf(Tokens.rs256(k1, clock))).isEqualTo(RejectionReason.KEYS_UNAVAILABLE);
    assertThat(verifier.metrics().jwksFetchesFailed()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {100})
  void declaredContentLengthOverTheCapIsRefused(int cap) {
    verifier.close();
    verifier = verifier(settings().maxResponseBytes(cap));

    assertThat(reasonOf(Tokens.rs256(k1, clock))).isEqualTo(RejectionReason.KEYS_UNAVAILABLE);
    assertThat(verifier.metrics().jwksFetchesFailed()).isEqualTo(1);
  }

  @Test
  void moreKeysThanTheCapAreTrimmed() {
    verifier.close();
    server.publish(k1.toPublicJWK(), k2.toPublicJWK(), Keys.rsa("k3").toPublicJWK());
    verifier = verifier(settings().maxKeys(2));

    verifier.verify(Tokens.rs256(k1, clock));

    assertThat(verifier.metrics().keysHeld()).isEqualTo(2);
  }

  @Test
  void symmetricAndPrivateMaterialInTheSetIsNeverUsed() throws Exception {
    verifier.close();
    byte[] secret = new byte[32];
    com.nimbusds.jose.jwk.OctetSequenceKey oct =
        new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(secret).keyID("oct").build();
    server.publish(k1, oct); // a careless issuer publishing a private key and a secret
    verifier = verifier(settings());

    verifier.verify(Tokens.rs256(k1, clock));

    assertThat(verifier.metrics().keysHeld()).isEqualTo(1);
  }

  @Test
  void closeStopsTheBackgroundThread() {
    verifier.verify(Tokens.rs256(k1, clock));
    verifier.close();

    Await.until(
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("latchkey-jwks-") && t.isAlive()));
  }
}
