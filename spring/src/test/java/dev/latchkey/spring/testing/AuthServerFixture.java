package dev.latchkey.spring.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.SessionXsrf;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * A real Latchkey auth server on a loopback port (H2 in a temporary folder, cheap Argon2) with a
 * student (no role), an admin (role admin) and a teacher (role teacher), and the tokens the starter
 * tests send: issued ones (real sessions, so they can be revoked), expired and foreign-key ones.
 * Shared with the sample's tests (test-jar).
 */
public final class AuthServerFixture implements AutoCloseable {
  public static final String STUDENT = "student@example.com";
  public static final String ADMIN = "admin@example.com";
  public static final String TEACHER = "teacher@example.com";
  public static final String PASSWORD = "correct horse battery staple 42";

  private final AuthServer server;
  private final Path dataDir;

  private AuthServerFixture(AuthServer server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  public static AuthServerFixture start() {
    Path dir;
    try {
      dir = Files.createTempDirectory("latchkey-spring-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    AuthServer server =
        AuthServer.start(
            AuthServerConfig.defaults()
                .withHttp(HttpSettings.defaults().withAddress("127.0.0.1", 0))
                .withStore(
                    StoreSettings.embedded(dir)
                        .withMasterKey(Base64.getEncoder().encodeToString(masterKey)))
                .withHashing(new HashingSettings(new Argon2Params(1024, 1, 1), 1, 8)));
    try {
      server.store().users().add(STUDENT, PASSWORD.toCharArray());
      server.store().users().add(ADMIN, PASSWORD.toCharArray(), java.util.List.of("admin"));
      server.store().users().add(TEACHER, PASSWORD.toCharArray(), java.util.List.of("teacher"));
      return new AuthServerFixture(server, dir);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public AuthServer server() {
    return server;
  }

  public String issuer() {
    return server.issuer();
  }

  /** A session token as {@code latchkey token EMAIL} issues it (a real, revocable session). */
  public IssuedToken issue(String email) {
    return server.store().issueToken(email);
  }

  /**
   * A token for a user who signed in with {@code amr} (RFC 8176 values, e.g. {@code ["pwd", "otp",
   * "mfa"]}; none: no claim), with the user's roles, signed by the server's issuer.
   */
  public IssuedToken issue(String email, java.util.List<String> amr) {
    return issue(email, amr, null);
  }

  /**
   * As {@link #issue(String, java.util.List)}, bound to the DPoP key with thumbprint {@code jkt}.
   */
  public IssuedToken issue(String email, java.util.List<String> amr, String jkt) {
    String subject = server.store().users().findEnabled(email).orElseThrow().id();
    server.store().keys().ensureActiveKey();
    Instant now = server.store().config().clock().instant();
    return server.store().tokens().issue(subject, TokenIssuer.newSessionId(), now, amr, jkt);
  }

  /** Revokes the session of a token, as a logout does. */
  public void revoke(IssuedToken token) {
    server.store().sessionRevocation().revoke(token.sid());
  }

  /** Signed by the server's active key, issued 1 h ago for 5 minutes. */
  public String expired() {
    TokenIssuer old =
        new TokenIssuer(
            server.store().keys().snapshot(),
            issuer(),
            "latchkey-demo",
            Duration.ofMinutes(5),
            TokenIssuer.TYPE,
            subject -> java.util.List.of(),
            SessionXsrf.randomKey());
    Instant past = Instant.now().minus(Duration.ofHours(1));
    return old.issue(
            UUID.randomUUID().toString(),
            TokenIssuer.newSessionId(),
            past,
            java.util.List.of(),
            null)
        .token();
  }

  /**
   * A token like the server's, bound to the client key whose RFC 7638 thumbprint is {@code jkt}
   * ({@code cnf.jkt}), signed by the server's active key: what the server will issue to a client
   * that signs in with a DPoP proof.
   */
  public String bound(String jkt) throws JOSEException {
    var active = server.store().keys().active();
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(active.algorithm())
                .keyID(active.kid())
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject("dpop-user")
                .audience("latchkey-demo")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .jwtID(UUID.randomUUID().toString())
                .claim("sid", TokenIssuer.newSessionId())
                .claim("cnf", java.util.Map.of("jkt", jkt))
                .build());
    jwt.sign(active.signer());
    return jwt.serialize();
  }

  /** Header and claims like the server's, signed by a key it never had. */
  public String forged() throws JOSEException {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(server.store().keys().active().kid())
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject("someone")
                .audience("latchkey-demo")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("roles", java.util.List.of("admin"))
                .build());
    jwt.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
    return jwt.serialize();
  }

  @Override
  public void close() {
    server.close();
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder
    }
  }
}
