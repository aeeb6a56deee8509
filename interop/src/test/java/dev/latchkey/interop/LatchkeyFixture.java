package dev.latchkey.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.keys.KeySettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.tokens.SessionXsrf;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.tokens.TokenSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A real Latchkey auth server on a loopback port (H2 in a temporary folder, cheap Argon2) with one
 * user, and the tokens the interop tests send to other verifiers: good ones signed by the server,
 * and bad ones (wrong audience or issuer, expired, tampered, foreign key, unsigned).
 */
final class LatchkeyFixture implements AutoCloseable {
  static final String AUDIENCE = "latchkey-interop";
  static final String EMAIL = "ada@example.com";
  static final String PASSWORD = "correct horse battery staple 42";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AuthServer server;
  private final String userId;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LatchkeyFixture(AuthServer server, String userId) {
    this.server = server;
    this.userId = userId;
  }

  /**
   * Starts the auth server. The JWKS max-age is one second so that {@link #rotate()} can bring a
   * new key into service the proper way (published first, signing one max-age later) in a test.
   */
  static LatchkeyFixture start(Path dataDir) {
    return start(dataDir, TokenSettings.defaults().type());
  }

  /** The same, signing tokens of type {@code tokenType} ({@code at+jwt} or {@code JWT}). */
  static LatchkeyFixture start(Path dataDir, String tokenType) {
    return start(dataDir, tokenType, c -> c);
  }

  /** The same, with a last change to the configuration (e.g. refresh sessions on). */
  static LatchkeyFixture start(
      Path dataDir, String tokenType, UnaryOperator<AuthServerConfig> custom) {
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    AuthServerConfig config =
        AuthServerConfig.defaults()
            .withHttp(HttpSettings.defaults().withAddress("127.0.0.1", 0))
            .withTokens(TokenSettings.defaults().withAudience(AUDIENCE).withType(tokenType))
            .withStore(
                StoreSettings.embedded(dataDir)
                    .withMasterKey(Base64.getEncoder().encodeToString(masterKey)))
            .withHashing(new HashingSettings(new Argon2Params(1024, 1, 1), 1, 8))
            .withKeys(KeySettings.defaults().withJwksMaxAge(Duration.ofSeconds(1)));
    AuthServer server = AuthServer.start(custom.apply(config));
    try {
      String id = server.store().users().add(EMAIL, PASSWORD.toCharArray());
      return new LatchkeyFixture(server, id);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  AuthServer server() {
    return server;
  }

  String userId() {
    return userId;
  }

  String issuer() {
    return server.issuer();
  }

  /** A session token as {@code latchkey token EMAIL} issues it. */
  String issuedToken() {
    return server.store().issueToken(EMAIL).token();
  }

  /** A session token from a real password login, {@code POST /api/login}. */
  String loginToken() throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("email", EMAIL).put("password", PASSWORD);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.loginUrl()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("login answered " + response.statusCode());
    }
    JsonNode answer = JSON.readTree(response.body());
    return answer.get("idToken").asText();
  }

  /** Signed by the server's active key, for another audience. */
  String wrongAudienceToken() {
    return issuer(issuer(), "another-app", Duration.ofHours(1), Instant.now());
  }

  /** Signed by the server's active key, with another issuer. */
  String wrongIssuerToken() {
    return issuer("https://impostor.example", AUDIENCE, Duration.ofHours(1), Instant.now());
  }

  /** Signed by the server's active key, issued 1 h ago for 5 minutes: expired 55 minutes ago. */
  String expiredToken() {
    return issuer(
        issuer(), AUDIENCE, Duration.ofMinutes(5), Instant.now().minus(Duration.ofHours(1)));
  }

  /**
   * A token of the user's issued at {@code at} by an issuer of its own: no roles, no {@code amr}.
   */
  private String issuer(String iss, String aud, Duration length, Instant at) {
    TokenIssuer tokens =
        new TokenIssuer(
            server.store().keys().snapshot(),
            iss,
            aud,
            length,
            TokenIssuer.TYPE,
            subject -> List.of(),
            SessionXsrf.randomKey());
    return tokens.issue(userId, TokenIssuer.newSessionId(), at, List.of(), null).token();
  }

  /** A good token whose payload was changed afterwards (another {@code sub}), same signature. */
  String tamperedToken() throws IOException {
    String[] parts = issuedToken().split("\\.");
    Base64.Decoder decoder = Base64.getUrlDecoder();
    ObjectNode payload = (ObjectNode) JSON.readTree(decoder.decode(parts[1]));
    payload.put("sub", UUID.randomUUID().toString());
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + forged + "." + parts[2];
  }

  /** Claims and header exactly like a Latchkey token, signed by a key the server never had. */
  String foreignKeyToken() throws JOSEException {
    return foreignKeyToken("foreign-" + UUID.randomUUID());
  }

  /**
   * Like {@link #foreignKeyToken()}, but the header names the server's own active {@code kid}: a
   * verifier must check the signature against the published key, not trust the {@code kid}.
   */
  /**
   * A token like the server's session tokens ({@code typ: at+jwt}, signed by its active key), bound
   * to the client key whose RFC 7638 thumbprint is {@code jkt} ({@code cnf.jkt}): the way Latchkey
   * binds a token to a DPoP key.
   */
  String boundToken(String jkt) throws JOSEException {
    var active = server.store().keys().active();
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .subject(userId)
            .audience(AUDIENCE)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
            .jwtID(UUID.randomUUID().toString())
            .claim("sid", TokenIssuer.newSessionId())
            .claim("cnf", java.util.Map.of("jkt", jkt))
            .build();
    JWSHeader header =
        new JWSHeader.Builder(active.algorithm())
            .keyID(active.kid())
            .type(TokenIssuer.TYPE)
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(active.signer());
    return jwt.serialize();
  }

  String foreignKeyTokenWithServerKid() throws JOSEException, ParseException {
    String kid = SignedJWT.parse(issuedToken()).getHeader().getKeyID();
    return foreignKeyToken(kid);
  }

  private String foreignKeyToken(String kid) throws JOSEException {
    RSAKey key = new RSAKeyGenerator(2048).keyID(kid).generate();
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .subject(userId)
            .audience(AUDIENCE)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
            .jwtID(UUID.randomUUID().toString())
            .claim("sid", TokenIssuer.newSessionId())
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(TokenIssuer.TYPE).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  /** A good token's claims with {@code alg: none} and no signature. */
  String unsignedToken() {
    String[] parts = issuedToken().split("\\.");
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                "{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
    return header + "." + parts[1] + ".";
  }

  /** The {@code kid} in a token's header. */
  static String kidOf(String token) throws ParseException {
    return SignedJWT.parse(token).getHeader().getKeyID();
  }

  /**
   * Rotates the way an operator does ({@code latchkey keys rotate}): publishes a next key, waits
   * one JWKS max-age (1 s here) and rotates again, which promotes it. The old key stays published
   * as retired until its tokens have expired.
   *
   * @return the kid of the new active key
   */
  String rotate() throws InterruptedException {
    String before = activeKid();
    server.store().keys().rotate();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (activeKid().equals(before)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the next key did not take over within 10 s");
      }
      Thread.sleep(250);
      server.store().keys().rotate();
    }
    return activeKid();
  }

  private String activeKid() {
    return server.store().keys().active().kid();
  }

  @Override
  public void close() {
    server.close();
  }
}
