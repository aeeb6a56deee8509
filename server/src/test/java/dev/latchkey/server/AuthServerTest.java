package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.idToken;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.postJson;
import static dev.latchkey.server.TestHttp.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.keys.KeySettings;
import dev.latchkey.server.keys.KeyState;
import dev.latchkey.server.keys.SigningKeyInfo;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.PasswordHasher;
import dev.latchkey.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The auth server over real HTTP, against H2 and PostgreSQL. */
class AuthServerTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir Path tempDir;

  private AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    AuthServerConfig config = TestDatabase.quiet(db.freshConfig(tempDir));
    config = custom.apply(config);
    dropLater.add(config);
    return AuthServer.start(config);
  }

  private final List<AuthServerConfig> dropLater = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void loginIssuesAVerifiableSessionToken(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      String userId = server.store().users().add(EMAIL, PASSWORD.toCharArray());

      HttpResponse<String> response = login(server, "  ADA@Example.com ", PASSWORD);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
      JsonNode body = json(response);
      assertThat(body.get("expiresIn").asLong()).isEqualTo(7200);
      String token = body.get("idToken").asText();
      JWTClaimsSet claims = verify(server, token, "latchkey-demo");
      assertThat(claims.getSubject()).isEqualTo(userId).doesNotContain("@");
      assertThat(claims.getIssuer()).isEqualTo(server.issuer()).isEqualTo(server.baseUrl());
      assertThat(claims.getAudience()).containsExactly("latchkey-demo");
      assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
          .isEqualTo(7_200_000);
      assertThat(claims.getJWTID()).isNotBlank();
      assertThat(claims.getStringClaim("sid")).isNotBlank();
      SignedJWT jwt = SignedJWT.parse(token);
      assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
      assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
      assertThat(jwt.getHeader().getKeyID()).isEqualTo(activeKid(server));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void wrongPasswordUnknownEmailAndDisabledUserGetTheSame401(TestDatabase db) {
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      server.store().users().add("bob@example.com", PASSWORD.toCharArray());
      server.store().users().disable("bob@example.com");

      HttpResponse<String> wrongPassword = login(server, EMAIL, "not the password");
      HttpResponse<String> unknownEmail = login(server, "nobody@example.com", PASSWORD);
      HttpResponse<String> disabled = login(server, "bob@example.com", PASSWORD);

      for (HttpResponse<String> r : List.of(wrongPassword, unknownEmail, disabled)) {
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo(wrongPassword.body());
      }
      assertThat(json(wrongPassword).get("error").asText()).isEqualTo("invalid_credentials");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void jwksPublishesThePublicKeyWithThumbprintKidAndCertificate(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      HttpResponse<String> response = get(server.jwksUrl());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
      assertThat(response.body()).doesNotContain("\"d\"", "\"p\"", "\"q\"");
      JWKSet set = JWKSet.parse(response.body());
      assertThat(set.getKeys()).hasSize(1);
      RSAKey key = (RSAKey) set.getKeys().get(0);
      assertThat(key.isPrivate()).isFalse();
      assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
      assertThat(key.getAlgorithm().getName()).isEqualTo("RS256");
      assertThat(key.getModulus().decodeToBigInteger().bitLength()).isEqualTo(2048);
      assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
      X509Certificate cert = key.getParsedX509CertChain().get(0);
      assertThat(cert.getPublicKey()).isEqualTo(key.toPublicKey());
      cert.verify(cert.getPublicKey());
      assertThat(key.getX509CertSHA256Thumbprint())
          .isEqualTo(
              Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void discoveryDocumentPointsAtTheJwks(TestDatabase db) {
    try (AuthServer server =
        start(db, c -> c.withTokens(c.tokens().withIssuer("https://auth.example.com/")))) {
      JsonNode doc = json(get(server.discoveryUrl()));

      assertThat(doc.get("issuer").asText()).isEqualTo("https://auth.example.com");
      // an http(s) issuer is the public URL: what verifiers reach, not the bind address
      assertThat(doc.get("jwks_uri").asText())
          .isEqualTo("https://auth.example.com/.well-known/jwks.json");
      assertThat(doc.get("id_token_signing_alg_values_supported").toString())
          .isEqualTo("[\"RS256\"]");
      assertThat(doc.get("subject_types_supported").toString()).isEqualTo("[\"public\"]");
      assertThat(doc.get("claims_supported").toString()).contains("\"roles\"");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void tokensCarryTheRolesTheUserHoldsWhenTheyAreSigned(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      var users = server.store().users();
      String adminId = users.add("admin@example.com", PASSWORD.toCharArray(), List.of("admin"));
      users.add(EMAIL, PASSWORD.toCharArray());

      JWTClaimsSet admin =
          verify(server, idToken(login(server, "admin@example.com", PASSWORD)), "latchkey-demo");
      JWTClaimsSet student =
          verify(server, idToken(login(server, EMAIL, PASSWORD)), "latchkey-demo");
      assertThat(admin.getStringListClaim("roles")).containsExactly("admin");
      assertThat(student.getClaims()).doesNotContainKey("roles");

      List<String> now = users.roles().change(adminId, List.of("teacher", "admin"), List.of());
      assertThat(now).containsExactly("admin", "teacher");
      assertThat(users.roles().change(users.idOf(EMAIL), List.of(), List.of("nothing"))).isEmpty();
      assertThat(users.roles().change(adminId, List.of(), List.of("admin")))
          .containsExactly("teacher");
      assertThat(
              SignedJWT.parse(server.store().issueToken("admin@example.com").token())
                  .getJWTClaimsSet()
                  .getStringListClaim("roles"))
          .containsExactly("teacher");
      assertThat(users.list()).anySatisfy(u -> assertThat(u.describe()).contains("roles=teacher"));
      assertThatThrownBy(() -> users.roles().change(adminId, List.of("bad role"), List.of()))
          .hasMessageContaining("role");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theTokenTypeCanBeJwtForVerifiersThatAcceptOnlyThat(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c.withTokens(c.tokens().withType("JWT")))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());

      String token = idToken(login(server, EMAIL, PASSWORD));

      assertThat(SignedJWT.parse(token).getHeader().getType().getType()).isEqualTo("JWT");
      HttpResponse<String> logout =
          postJson(server.baseUrl() + "/api/logout", "{}", "Authorization", "Bearer " + token);
      assertThat(logout.statusCode()).isBetween(200, 204);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void healthReportsDatabaseAndActiveKey(TestDatabase db) {
    try (AuthServer server = start(db, c -> c)) {
      HttpResponse<String> response = get(server.baseUrl() + "/health");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json(response).get("status").asText()).isEqualTo("up");
      assertThat(json(response).get("activeKey").asText()).isEqualTo(activeKid(server));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotationWalksNextActiveRetiredGone(TestDatabase db) throws Exception {
    MutableClock clock = MutableClock.startingNow();
    java.time.Instant t0 = clock.instant();
    java.time.Duration period = java.time.Duration.ofDays(30);
    java.time.Duration maxAge = java.time.Duration.ofHours(1);
    java.time.Duration session = java.time.Duration.ofHours(2);
    java.time.Duration skew = java.time.Duration.ofMinutes(1);
    try (AuthServer server =
        start(
            db,
            c ->
                c.withClock(clock)
                    .withKeys(
                        new KeySettings(
                            c.keys().algorithm(),
                            period,
                            maxAge,
                            skew,
                            c.keys().rotationCheckInterval()))
                    .withSessions(c.sessions().withSessionLength(session)))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String a = activeKid(server);
      String tokenA = idToken(login(server, EMAIL, PASSWORD));
      assertThat(publishedKids(server)).containsExactly(a);

      // Just before the next key is due (two max-ages before the rotation): nothing changes.
      clock.set(t0.plus(period).minus(maxAge.multipliedBy(2)).minusSeconds(1));
      assertThat(server.store().keys().maintain()).isEmpty();
      assertThat(publishedKids(server)).containsExactly(a);

      // Due: a next key is published but does not sign yet.
      clock.advance(java.time.Duration.ofSeconds(1));
      assertThat(server.store().keys().maintain()).hasSize(1);
      String b = keyIn(server, KeyState.NEXT).kid();
      assertThat(keyIn(server, KeyState.NEXT).activatesAt()).isEqualTo(t0.plus(period));
      assertThat(publishedKids(server)).containsExactly(a, b);
      assertThat(kidOf(idToken(login(server, EMAIL, PASSWORD)))).isEqualTo(a);

      clock.set(t0.plus(period).minusSeconds(1));
      assertThat(server.store().keys().maintain()).isEmpty();
      assertThat(kidOf(idToken(login(server, EMAIL, PASSWORD)))).isEqualTo(a);

      // Rotation: b signs, a is retired but still published; a's tokens still verify.
      clock.set(t0.plus(period));
      assertThat(server.store().keys().maintain()).hasSize(2);
      assertThat(activeKid(server)).isEqualTo(b);
      assertThat(keyIn(server, KeyState.RETIRED).kid()).isEqualTo(a);
      assertThat(publishedKids(server)).containsExactly(b, a);
      String tokenB = idToken(login(server, EMAIL, PASSWORD));
      assertThat(kidOf(tokenB)).isEqualTo(b);
      assertThat(verify(server, tokenA, "latchkey-demo").getSubject()).isNotBlank();
      assertThat(verify(server, tokenB, "latchkey-demo").getSubject()).isNotBlank();

      // Until every token a signed has expired plus the skew, a stays published.
      java.time.Instant removal = t0.plus(period).plus(session).plus(skew);
      assertThat(keyIn(server, KeyState.RETIRED).removesAt()).isEqualTo(removal);
      clock.set(removal.minusSeconds(1));
      assertThat(server.store().keys().maintain()).isEmpty();
      assertThat(publishedKids(server)).containsExactly(b, a);

      // Gone: a leaves the JWK Set; its tokens no longer verify.
      clock.set(removal);
      assertThat(server.store().keys().maintain()).hasSize(1);
      assertThat(publishedKids(server)).containsExactly(b);
      assertThat(stateOf(server, a)).isEqualTo(KeyState.GONE);
      assertThatThrownBy(() -> verify(server, tokenA, "latchkey-demo"))
          .hasMessageContaining("matching key");
      assertThat(verify(server, tokenB, "latchkey-demo").getSubject()).isNotBlank();

      // The next cycle is scheduled from b's activation.
      clock.set(t0.plus(period).plus(period).minus(maxAge.multipliedBy(2)).minusSeconds(1));
      assertThat(server.store().keys().maintain()).isEmpty();
      clock.advance(java.time.Duration.ofSeconds(1));
      assertThat(server.store().keys().maintain()).hasSize(1);
      assertThat(publishedKids(server)).hasSize(2).startsWith(b);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void manualRotateWaitsOneMaxAgeBeforeTheNewKeySigns(TestDatabase db) {
    MutableClock clock = MutableClock.startingNow();
    try (AuthServer server = start(db, c -> c.withClock(clock))) {
      String a = activeKid(server);

      List<String> first = server.store().keys().rotate();
      assertThat(first).singleElement().asString().contains("published next key");
      String b = keyIn(server, KeyState.NEXT).kid();
      assertThat(server.store().keys().rotate()).singleElement().asString().contains("already");
      assertThat(activeKid(server)).isEqualTo(a);

      clock.advance(java.time.Duration.ofHours(1));
      List<String> second = server.store().keys().rotate();

      assertThat(second).hasSize(2);
      assertThat(activeKid(server)).isEqualTo(b);
      assertThat(stateOf(server, a)).isEqualTo(KeyState.RETIRED);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void revokingTheActiveKeyRemovesItAtOnceAndSignsWithANewKey(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String a = activeKid(server);
      String tokenA = idToken(login(server, EMAIL, PASSWORD));
      server.store().keys().rotate();
      String next = keyIn(server, KeyState.NEXT).kid();

      List<String> changes = server.store().keys().revoke(a);

      assertThat(changes).anySatisfy(c -> assertThat(c).contains("revoked key " + a));
      assertThat(publishedKids(server)).containsExactly(next);
      assertThat(activeKid(server)).isEqualTo(next);
      assertThatThrownBy(() -> verify(server, tokenA, "latchkey-demo"))
          .hasMessageContaining("matching key");
      String fresh = idToken(login(server, EMAIL, PASSWORD));
      assertThat(kidOf(fresh)).isEqualTo(next);
      assertThat(verify(server, fresh, "latchkey-demo").getSubject()).isNotBlank();

      // Revoking the only key left creates a new active key at once.
      server.store().keys().revoke(next);
      assertThat(publishedKids(server)).hasSize(1).doesNotContain(a, next);
      assertThat(server.store().keys().revoke(a)).singleElement().asString().contains("already");
      assertThatThrownBy(() -> server.store().keys().revoke("no-such-kid"))
          .isInstanceOf(dev.latchkey.server.keys.UnknownKeyException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aKeyAnotherInstancePublishesShowsInThisOnesJwkSetWithinTheRefresh(TestDatabase db) {
    try (AuthServer server = start(db, UnaryOperator.identity());
        AuthStore other = AuthStore.open(server.store().config())) {
      assertThat(jwksKids(server)).hasSize(1); // read once: answered from memory from now on

      String next =
          other.keys().rotate().stream()
              .filter(line -> line.startsWith("published next key "))
              .map(line -> line.split(" ")[3])
              .findFirst()
              .orElseThrow();

      dev.latchkey.testing.Await.until(() -> jwksKids(server).contains(next));
      assertThat(jwksKids(server)).hasSize(2);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aKeyAnOperatorRevokesStopsSigningHereWithinTheRefresh(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, UnaryOperator.identity());
        AuthStore operator = AuthStore.openForOperator(server.store().config())) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String revoked =
          SignedJWT.parse(idToken(login(server, EMAIL, PASSWORD))).getHeader().getKeyID();

      operator.keys().revoke(revoked); // another process: this server learns it from its snapshot
      long revokedAt = System.nanoTime();
      String kid = revoked;
      while (kid.equals(revoked)) {
        kid = SignedJWT.parse(idToken(login(server, EMAIL, PASSWORD))).getHeader().getKeyID();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - revokedAt))
            .as("the revoked key stops signing within the refresh (plus one period of slack)")
            .isLessThanOrEqualTo(SigningKeys.PUBLISHED_REFRESH.multipliedBy(2));
      }
      for (int i = 0; i < 3; i++) {
        String token = idToken(login(server, EMAIL, PASSWORD));
        assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo(kid);
        assertThat(verify(server, token, "latchkey-demo").getSubject()).isNotNull();
      }
      assertThat(jwksKids(server)).doesNotContain(revoked).contains(kid);
    }
  }

  private static List<String> jwksKids(AuthServer server) {
    List<String> kids = new java.util.ArrayList<>();
    json(get(server.jwksUrl())).get("keys").forEach(k -> kids.add(k.get("kid").asText()));
    return kids;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void onlyOneInstanceRotatesAtATime(TestDatabase db) throws Exception {
    MutableClock clock = MutableClock.startingNow();
    try (AuthServer server = start(db, c -> c.withClock(clock));
        AuthStore second = AuthStore.open(server.store().config());
        AuthStore third = AuthStore.open(server.store().config())) {
      clock.advance(java.time.Duration.ofDays(30));
      var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<List<String>>> results = new java.util.ArrayList<>();
        for (AuthStore store : List.of(server.store(), second, third)) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return store.keys().maintain();
                  }));
        }
        start.countDown();
        int changes = 0;
        for (var r : results) {
          changes += r.get().size();
        }
        assertThat(changes).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(server.store().keys().list())
          .filteredOn(k -> k.state() == KeyState.NEXT)
          .hasSize(1);
      // each instance reads the published keys again (every second while serving): the same set
      assertThat(second.keys().refreshPublished().jwkSet().toString())
          .isEqualTo(server.store().keys().refreshPublished().jwkSet().toString());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void signupCreatesAccountsWithoutRevealingExistingOnes(TestDatabase db) {
    try (AuthServer server =
        start(
            db,
            c ->
                c.withHttp(c.http().withSignupEnabled(true))
                    .withAccounts(c.accounts().withRequireVerifiedEmail(false)))) {
      String url = server.baseUrl() + "/api/signup";

      HttpResponse<String> created = postJson(url, TestHttp.credentials(EMAIL, PASSWORD));
      HttpResponse<String> again =
          postJson(url, TestHttp.credentials(EMAIL, "another long passphrase"));

      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(again.statusCode()).isEqualTo(201);
      assertThat(again.body()).isEqualTo(created.body());
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, "another long passphrase").statusCode()).isEqualTo(401);

      for (String weak : List.of("short", "password123", "qwertyuiop", "zed@example.com", "ZED")) {
        HttpResponse<String> r = postJson(url, TestHttp.credentials("zed@example.com", weak));
        assertThat(r.statusCode()).as(weak).isEqualTo(400);
        assertThat(json(r).get("error").asText()).as(weak).isEqualTo("weak_password");
      }
      HttpResponse<String> badEmail = postJson(url, TestHttp.credentials("not-an-email", PASSWORD));
      assertThat(badEmail.statusCode()).isEqualTo(400);
      assertThat(json(badEmail).get("error").asText()).isEqualTo("invalid_email");
      // Long passphrases are welcome.
      assertThat(
              postJson(url, TestHttp.credentials("long@example.com", "x y z ".repeat(100)))
                  .statusCode())
          .isEqualTo(201);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void signupIsAbsentUnlessEnabled(TestDatabase db) {
    try (AuthServer server = start(db, c -> c)) {
      HttpResponse<String> r =
          postJson(server.baseUrl() + "/api/signup", TestHttp.credentials(EMAIL, PASSWORD));

      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(json(r).get("error").asText()).isEqualTo("not_found");
      assertThat(server.store().users().list()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void loginRehashesAPasswordStoredWithOutdatedParameters(TestDatabase db) {
    AuthServerConfig config;
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      config = server.store().config();
    }
    assertThat(storedHash(config)).startsWith("$argon2id$v=19$m=256,t=1,p=1$");

    Argon2Params stronger = new Argon2Params(512, 2, 1);
    AuthServerConfig restarted =
        config
            .withHttp(config.http().withPort(0))
            .withHashing(config.hashing().withParams(stronger));
    try (AuthServer server = AuthServer.start(restarted)) {
      PasswordHasher hasher = server.store().hasher();
      // Every answer costs one hash at the current parameters, whatever the stored hash's
      // parameters: a known user with an old, cheaper hash is no faster than an unknown email.
      assertThat(hashesAtCurrentParams(hasher, () -> login(server, "nobody@example.com", PASSWORD)))
          .isEqualTo(1);
      assertThat(hashesAtCurrentParams(hasher, () -> login(server, EMAIL, "wrong password!")))
          .isEqualTo(1);
      assertThat(storedHash(config)).startsWith("$argon2id$v=19$m=256,t=1,p=1$");

      assertThat(hashesAtCurrentParams(hasher, () -> login(server, EMAIL, PASSWORD))).isEqualTo(1);
      assertThat(storedHash(config)).startsWith("$argon2id$v=19$m=512,t=2,p=1$");
      assertThat(hashesAtCurrentParams(hasher, () -> login(server, EMAIL, PASSWORD))).isEqualTo(1);
      assertThat(hashesAtCurrentParams(hasher, () -> login(server, EMAIL, "wrong password!")))
          .isEqualTo(1);
    }
  }

  /** How many hashes at the current parameters a login ran, after checking its status. */
  private static long hashesAtCurrentParams(
      PasswordHasher hasher, Supplier<HttpResponse<String>> login) {
    long before = hasher.hashesAtCurrentParams();
    HttpResponse<String> r = login.get();
    assertThat(r.statusCode()).as(r.body()).isIn(200, 401);
    return hasher.hashesAtCurrentParams() - before;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void adminOperationsWorkWithoutHttp(TestDatabase db) throws Exception {
    AuthServerConfig config = db.freshConfig(tempDir);
    dropLater.add(config);
    try (AuthStore store = AuthStore.open(config)) {
      String id = store.users().add(EMAIL, PASSWORD.toCharArray());
      store.users().setPassword(EMAIL, "a brand new passphrase".toCharArray());
      assertThat(store.users().list())
          .singleElement()
          .satisfies(
              u -> {
                assertThat(u.id()).isEqualTo(id);
                assertThat(u.email()).isEqualTo(EMAIL);
                assertThat(u.disabled()).isFalse();
              });
      assertThatThrownBy(() -> store.users().add(EMAIL, PASSWORD.toCharArray()))
          .hasMessageContaining("already exists");
      assertThatThrownBy(() -> store.users().disable("nobody@example.com"))
          .hasMessageContaining("no user");

      var token = store.issueToken(EMAIL);
      assertThat(token.toString()).doesNotContain(token.token());
      assertThat(store.keys().list())
          .singleElement()
          .extracting(SigningKeyInfo::state)
          .isEqualTo(KeyState.ACTIVE);
      assertThat(SignedJWT.parse(token.token()).getJWTClaimsSet().getSubject()).isEqualTo(id);
    }
    try (AuthServer server = AuthServer.start(config)) {
      assertThat(login(server, EMAIL, "a brand new passphrase").statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(401);
    }
  }

  // --- helpers ---

  static String activeKid(AuthServer server) {
    return keyIn(server, KeyState.ACTIVE).kid();
  }

  static SigningKeyInfo keyIn(AuthServer server, KeyState state) {
    return server.store().keys().list().stream()
        .filter(k -> k.state() == state)
        .findFirst()
        .orElseThrow();
  }

  static KeyState stateOf(AuthServer server, String kid) {
    return server.store().keys().list().stream()
        .filter(k -> k.kid().equals(kid))
        .findFirst()
        .orElseThrow()
        .state();
  }

  static List<String> publishedKids(AuthServer server) throws Exception {
    return JWKSet.parse(get(server.jwksUrl()).body()).getKeys().stream()
        .map(JWK::getKeyID)
        .toList();
  }

  static String kidOf(String token) throws Exception {
    return SignedJWT.parse(token).getHeader().getKeyID();
  }

  private static String storedHash(AuthServerConfig config) {
    try (AuthStore store = AuthStore.open(config)) {
      return store
          .database()
          .queryOne("SELECT password_hash FROM users WHERE email = ?", rs -> rs.getString(1), EMAIL)
          .orElseThrow();
    }
  }
}
