package dev.latchkey.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.Postgres;
import dev.latchkey.server.tokens.IssuedToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4: "a crash at any point leaves a consistent set". Runs {@link RotationChurn} in a child
 * JVM, SIGKILLs it after a varying number of completed steps (so that the kill lands inside
 * different steps: key generation, the rotation transaction, a revocation, a token), several times
 * against the same database, and after every kill checks the stored keys in-process.
 */
class KeyStoreCrashTest {
  private static final String PG_URL = Postgres.URL;
  private static final String PG_USER = Postgres.USER;
  private static final String EOF = "\u0000EOF";

  /** Completed steps before each kill; a round is 3 to 5 steps, so these land in varied places. */
  private static final int[] KILL_AFTER = {2, 6, 11, 4, 15, 8};

  private static final Duration WAIT_FOR_STEPS = Duration.ofSeconds(25);

  @ParameterizedTest
  @ValueSource(strings = {"H2", "POSTGRES"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killedAtAnyStepTheKeysStayConsistent(String database, @TempDir Path dir) throws Exception {
    boolean pg = database.equals("POSTGRES");
    if (pg) {
      Postgres.assumeAvailable();
    }
    String url = pg ? PG_URL : null;
    String schema = pg ? "lk_crash_" + UUID.randomUUID().toString().replace("-", "") : null;
    String user = pg ? PG_USER : null;
    Path dataDir = dir.resolve("data");
    String masterKey = MasterKey.generateBase64();
    Random random = new Random(pg ? 4 : 2);
    List<String> tokens = new ArrayList<>();
    long clock = Instant.now().getEpochSecond();
    try {
      for (int run = 0; run < KILL_AFTER.length; run++) {
        List<String> args =
            List.of(
                url == null ? "-" : url,
                schema == null ? "-" : schema,
                user == null ? "-" : user,
                dataDir.toString(),
                masterKey,
                "60",
                Long.toString(random.nextLong()),
                Long.toString(clock));
        Path stderr = dir.resolve("churn-" + run + ".err");
        List<String> out = runAndKill(args, KILL_AFTER[run], random.nextInt(60), stderr);
        for (String line : out) {
          if (line.startsWith("TOKEN ")) {
            tokens.add(line.split(" ")[2]);
          } else if (line.startsWith("STEP clock ")) {
            clock = Math.max(clock, Long.parseLong(line.substring("STEP clock ".length())));
          }
        }
        String context =
            "after kill "
                + run
                + " (following "
                + KILL_AFTER[run]
                + " steps); the child's last lines: "
                + lastSteps(out, 4);
        tokens.add(
            checkAndRestart(
                url,
                schema,
                user,
                dataDir,
                masterKey,
                Instant.ofEpochSecond(clock),
                tokens,
                context));
      }
    } finally {
      if (pg) {
        dropSchema(schema);
      }
    }
  }

  /** Starts the churn, waits for {@code steps} STEP lines, SIGKILLs it; all it printed. */
  private static List<String> runAndKill(List<String> args, int steps, int extraMillis, Path stderr)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(RotationChurn.class.getName());
    command.addAll(args);
    Process child =
        new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the child was killed
              } finally {
                lines.add(EOF);
              }
            },
            "churn-stdout");
    reader.setDaemon(true);
    reader.start();
    List<String> seen = new ArrayList<>();
    try {
      long deadline = System.nanoTime() + WAIT_FOR_STEPS.toNanos();
      int done = 0;
      while (done < steps) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) {
          fail(
              "the churn did not complete %d steps within %s; stderr: %s",
              steps, WAIT_FOR_STEPS, tail(stderr));
        }
        if (line.equals(EOF)) {
          fail(
              "the churn ended after %d of %d steps: %s; stderr: %s",
              done, steps, seen, tail(stderr));
        }
        seen.add(line);
        if (line.startsWith("STEP ")) {
          done++;
        }
      }
      Thread.sleep(extraMillis); // land somewhere inside the following step
    } finally {
      child.destroyForcibly();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        fail("the churn survived SIGKILL for 10 s");
      }
    }
    reader.join(5_000);
    for (String line; (line = lines.poll()) != null; ) {
      if (!line.equals(EOF)) {
        seen.add(line);
      }
    }
    return seen;
  }

  /**
   * Opens the killed database in-process and checks every invariant; then restarts the way a server
   * does ({@code ensureActiveKey}) and issues a token, which it returns.
   */
  private static String checkAndRestart(
      String url,
      String schema,
      String user,
      Path dataDir,
      String masterKeyBase64,
      Instant childClock,
      List<String> tokens,
      String context)
      throws Exception {
    RotationChurn.MovingClock clock = new RotationChurn.MovingClock();
    AuthServerConfig config =
        RotationChurn.config(url, schema, user, dataDir, masterKeyBase64, clock);
    Duration retention = config.sessions().sessionLength().plus(config.keys().clockSkew());
    MasterKey masterKey = MasterKey.load(config.store());
    try (AuthStore store = AuthStore.open(config)) {
      // The child's clock as last seen (it prints every new value before using it).
      Instant now = RotationChurn.latestStoredInstant(store);
      now = childClock.isAfter(now) ? childClock : now;
      for (String token : tokens) {
        Instant iat = SignedJWT.parse(token).getJWTClaimsSet().getIssueTime().toInstant();
        now = iat.isAfter(now) ? iat : now;
      }
      clock.now = now;
      List<SigningKeyInfo> keys = store.keys().list();
      Map<String, SigningKeyInfo> byKid = new HashMap<>();
      keys.forEach(k -> byKid.put(k.kid(), k));
      Map<String, String> sealed = privateKeys(store);

      assertThat(keys).as("keys " + context).isNotEmpty();
      assertThat(keys.stream().map(SigningKeyInfo::kid).toList())
          .as("kids " + context)
          .doesNotHaveDuplicates();
      assertThat(keys.stream().filter(k -> k.state() == KeyState.ACTIVE).count())
          .as("active keys " + context)
          .isLessThanOrEqualTo(1);

      Instant firstCreated =
          keys.stream().map(SigningKeyInfo::createdAt).min(Comparator.naturalOrder()).orElseThrow();
      Set<Instant> revocations =
          keys.stream()
              .map(SigningKeyInfo::revokedAt)
              .filter(t -> t != null)
              .collect(Collectors.toSet());
      for (SigningKeyInfo key : keys) {
        String what = key.describe() + " " + context;
        checkTimes(
            key, retention, config.keys().jwksMaxAge(), now, firstCreated, revocations, what);
        checkPrivateKey(key, sealed.get(key.kid()), masterKey, what);
      }
      checkActiveIntervals(keys, context);

      JWKSet jwks = store.keys().publicJwkSet();
      Set<String> published =
          keys.stream()
              .filter(k -> k.state().published())
              .map(SigningKeyInfo::kid)
              .collect(Collectors.toSet());
      assertThat(jwks.getKeys().stream().map(JWK::getKeyID).toList())
          .as("JWK Set " + context)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(published);
      for (JWK jwk : jwks.getKeys()) {
        assertThat(jwk.isPrivate()).as("published private part " + context).isFalse();
        assertThat(byKid.get(jwk.getKeyID()).state())
            .as("state of published " + jwk.getKeyID() + " " + context)
            .isIn(KeyState.NEXT, KeyState.ACTIVE, KeyState.RETIRED);
      }

      for (String token : tokens) {
        checkToken(token, byKid, jwks, config.keys().clockSkew(), context);
      }

      // Restart as a server would: exactly one key signs, and what it signs verifies.
      store.keys().ensureActiveKey();
      List<SigningKeyInfo> after = store.keys().list();
      assertThat(after.stream().filter(k -> k.state() == KeyState.ACTIVE).count())
          .as("active keys after restart " + context)
          .isEqualTo(1);
      if (store.users().findEnabled(RotationChurn.EMAIL).isEmpty()) {
        store.users().add(RotationChurn.EMAIL, RotationChurn.PASSWORD.clone());
      }
      IssuedToken fresh = store.issueToken(RotationChurn.EMAIL);
      assertThat(verifies(fresh.token(), store.keys().publicJwkSet()))
          .as("a token signed after restart verifies against the JWK Set " + context)
          .isTrue();
      return fresh.token();
    }
  }

  private static void checkTimes(
      SigningKeyInfo k,
      Duration retention,
      Duration jwksMaxAge,
      Instant now,
      Instant firstCreated,
      Set<Instant> revocations,
      String what) {
    assertThat(k.createdAt()).as("created " + what).isNotNull().isBeforeOrEqualTo(now);
    if (k.activatesAt() != null) {
      assertThat(k.activatesAt()).as("activates " + what).isAfterOrEqualTo(k.createdAt());
    }
    if (k.activatedAt() != null) {
      assertThat(k.activatedAt()).as("activated " + what).isAfterOrEqualTo(k.createdAt());
      // A key signs only once verifiers had a JWKS max-age to see it, except on the first key of
      // a fresh database and right after an emergency revocation of the active key.
      boolean waited = !k.activatedAt().isBefore(k.createdAt().plus(jwksMaxAge));
      boolean exempt = k.createdAt().equals(firstCreated) || revocations.contains(k.activatedAt());
      assertThat(waited || exempt).as("signed only after one JWKS max-age: " + what).isTrue();
    }
    if (k.retiredAt() != null) {
      assertThat(k.activatedAt()).as("retired but never activated: " + what).isNotNull();
      assertThat(k.retiredAt()).as("retired " + what).isAfterOrEqualTo(k.activatedAt());
      assertThat(k.removesAt()).as("removes " + what).isEqualTo(k.retiredAt().plus(retention));
    }
    if (k.revokedAt() != null) {
      assertThat(k.revokedAt()).as("revoked " + what).isAfterOrEqualTo(k.createdAt());
      if (k.activatedAt() != null) {
        assertThat(k.revokedAt()).as("revoked " + what).isAfterOrEqualTo(k.activatedAt());
      }
      if (k.retiredAt() != null) {
        assertThat(k.revokedAt()).as("revoked " + what).isAfterOrEqualTo(k.retiredAt());
      }
    }
    switch (k.state()) {
      case NEXT -> {
        assertThat(k.activatesAt()).as(what).isNotNull();
        assertThat(
                List.of(
                    nullable(k.activatedAt()), nullable(k.retiredAt()), nullable(k.revokedAt())))
            .as(what)
            .containsOnly("");
      }
      case ACTIVE -> {
        assertThat(k.activatedAt()).as(what).isNotNull().isBeforeOrEqualTo(now);
        assertThat(List.of(nullable(k.retiredAt()), nullable(k.revokedAt())))
            .as(what)
            .containsOnly("");
      }
      case RETIRED -> {
        assertThat(k.retiredAt()).as(what).isNotNull();
        assertThat(k.revokedAt()).as(what).isNull();
      }
      case GONE -> {
        assertThat(k.retiredAt()).as(what).isNotNull();
        assertThat(k.removesAt())
            .as("gone before its tokens expired: " + what)
            .isBeforeOrEqualTo(now);
        assertThat(k.revokedAt()).as(what).isNull();
      }
      case REVOKED -> assertThat(k.revokedAt()).as(what).isNotNull();
    }
  }

  private static String nullable(Instant t) {
    return t == null ? "" : t.toString();
  }

  /** No two keys ever signed at the same time. */
  private static void checkActiveIntervals(List<SigningKeyInfo> keys, String context) {
    List<SigningKeyInfo> signed =
        keys.stream()
            .filter(k -> k.activatedAt() != null)
            .sorted(Comparator.comparing(SigningKeyInfo::activatedAt))
            .toList();
    for (int i = 0; i + 1 < signed.size(); i++) {
      SigningKeyInfo k = signed.get(i);
      Instant end = k.retiredAt() != null ? k.retiredAt() : k.revokedAt();
      assertThat(end)
          .as(
              "%s signed until the next key %s started %s",
              k.describe(), signed.get(i + 1).kid(), context)
          .isNotNull()
          .isBeforeOrEqualTo(signed.get(i + 1).activatedAt());
    }
  }

  /**
   * Next and active keys have a private key that the master key opens and that matches the
   * published public key; retired keys may keep it; gone and revoked keys must have lost it.
   */
  private static void checkPrivateKey(
      SigningKeyInfo k, String sealed, MasterKey masterKey, String what) throws Exception {
    switch (k.state()) {
      case NEXT, ACTIVE -> {
        assertThat(sealed).as("private key of " + what).isNotNull();
        assertThat(signsForItsPublicKey(k, masterKey.decrypt(sealed, k.kid())))
            .as("private key matches the public JWK: " + what)
            .isTrue();
      }
      case RETIRED -> {
        if (sealed != null) {
          assertThat(signsForItsPublicKey(k, masterKey.decrypt(sealed, k.kid()))).as(what).isTrue();
        }
      }
      case GONE, REVOKED -> assertThat(sealed).as("erased private key of " + what).isNull();
    }
  }

  private static boolean signsForItsPublicKey(SigningKeyInfo k, byte[] pkcs8)
      throws JOSEException, ParseException {
    JWSObject jws =
        new JWSObject(new JWSHeader(JWSAlgorithm.parse(k.algorithm())), new Payload("probe"));
    jws.sign(KeyMaterial.signer(k.algorithm(), pkcs8));
    return JWSObject.parse(jws.serialize()).verify(verifier(JWK.parse(k.publicJwk())));
  }

  /**
   * A token handed out before a kill: its key was durably stored, it signed only while active, and
   * the token verifies for as long as its key is published; a retired key outlives its tokens.
   */
  private static void checkToken(
      String token, Map<String, SigningKeyInfo> byKid, JWKSet jwks, Duration skew, String context)
      throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    String kid = jwt.getHeader().getKeyID();
    Instant iat = jwt.getJWTClaimsSet().getIssueTime().toInstant();
    Instant exp = jwt.getJWTClaimsSet().getExpirationTime().toInstant();
    SigningKeyInfo key = byKid.get(kid);
    String what = "token of " + kid + " issued " + iat + " " + context;
    assertThat(key).as("the key of a token that was handed out is stored: " + what).isNotNull();
    assertThat(key.activatedAt()).as(what).isNotNull();
    assertThat(iat).as("signed while active: " + what).isAfterOrEqualTo(key.activatedAt());
    if (key.retiredAt() != null) {
      assertThat(iat).as("signed while active: " + what).isBeforeOrEqualTo(key.retiredAt());
      assertThat(exp.plus(skew))
          .as("the key stays published until the token expired: " + what)
          .isBeforeOrEqualTo(key.removesAt());
    }
    if (key.revokedAt() != null) {
      assertThat(iat).as("signed before revocation: " + what).isBeforeOrEqualTo(key.revokedAt());
    }
    if (key.state().published()) {
      assertThat(verifies(token, jwks)).as("verifies against the JWK Set: " + what).isTrue();
    }
  }

  /** Plain Nimbus: the JWK with the token's kid from the set, and its signature. */
  static boolean verifies(String token, JWKSet jwks) throws ParseException, JOSEException {
    SignedJWT jwt = SignedJWT.parse(token);
    JWK jwk = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
    return jwk != null && jwt.verify(verifier(jwk));
  }

  private static JWSVerifier verifier(JWK jwk) throws JOSEException {
    return jwk instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) jwk);
  }

  private static Map<String, String> privateKeys(AuthStore store) {
    return store
        .database()
        .inTransaction(
            c -> {
              Map<String, String> sealed = new HashMap<>();
              try (PreparedStatement ps =
                      c.prepareStatement("SELECT kid, private_key_enc FROM signing_keys");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  sealed.put(rs.getString(1), rs.getString(2));
                }
              }
              return sealed;
            });
  }

  private static List<String> lastSteps(List<String> out, int n) {
    List<String> steps = out.stream().filter(l -> l.startsWith("STEP ")).toList();
    return steps.subList(Math.max(0, steps.size() - n), steps.size());
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void dropSchema(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
