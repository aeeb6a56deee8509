package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth server's key rotation seen from the verifier library, over the real JWKS endpoint: a
 * rotation never breaks a session, and a revoked key stops verifying at the next refresh.
 */
class RotationWithVerifierTest {

  private static final String EMAIL = "rotation@example.com";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
  private AuthServer auth;
  private JwtVerifier verifier;

  @BeforeEach
  void start() {
    auth =
        AuthServer.start(
            AuthServerConfig.defaults()
                .withHttp(HttpSettings.defaults().withAddress("localhost", 0))
                .withStore(StoreSettings.embedded(dataDir))
                .withClock(clock)
                .withHashing(HashingSettings.defaults().withParams(new Argon2Params(1024, 1, 1))));
    auth.store().users().add(EMAIL, "a long enough passphrase".toCharArray());
    verifier =
        JwtVerifier.withJwksUrl(URI.create(auth.jwksUrl()))
            .issuer(auth.issuer())
            .audience("latchkey-demo")
            .clock(clock)
            .ticker(() -> ChronoUnit.NANOS.between(Instant.EPOCH, clock.instant()))
            .build();
  }

  @AfterEach
  void stop() {
    verifier.close();
    auth.close();
  }

  @Test
  void aTokenSignedBeforeARotationStillVerifiesAfterIt() {
    AuthStore store = auth.store();
    String before = store.issueToken(EMAIL).token();
    String firstKid = verifier.verify(before).keyId();

    store.keys().rotate();
    clock.advance(Duration.ofMinutes(61));
    store.keys().maintain();

    String after = store.issueToken(EMAIL).token();
    assertThat(verifier.verify(after).keyId()).isNotEqualTo(firstKid);
    assertThat(verifier.verify(before).keyId()).isEqualTo(firstKid);
  }

  @Test
  void aRevokedKeysTokensAreRejectedAfterTheVerifiersNextRefresh() {
    AuthStore store = auth.store();
    String doomed = store.issueToken(EMAIL).token();
    String doomedKid = verifier.verify(doomed).keyId();

    store.keys().rotate();
    clock.advance(Duration.ofMinutes(61));
    store.keys().maintain();
    String survivor = store.issueToken(EMAIL).token();
    verifier.verify(survivor);

    store.keys().revoke(doomedKid);
    clock.advance(Duration.ofMinutes(1)); // past the verifier's fetch rate limit
    assertThat(verifier.refreshKeys()).isTrue();

    assertThatThrownBy(() -> verifier.verify(doomed))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_KEY));
    assertThat(verifier.verify(survivor).subject()).isNotBlank();
  }
}
