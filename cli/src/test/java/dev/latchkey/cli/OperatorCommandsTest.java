package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.mfa.SecondFactors;
import dev.latchkey.server.mfa.TotpEnrolment;
import dev.latchkey.server.policy.PolicyMismatchException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Operator commands next to a running auth server on the embedded database (H2's automatic mixed
 * mode), under the key policy the server stored; a store that cannot be opened is one line.
 */
class OperatorCommandsTest {

  @TempDir Path dataDir;
  private InputStream originalIn;
  private PrintStream originalOut;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private StringWriter err = new StringWriter();

  @BeforeEach
  void capture() {
    originalIn = System.in;
    originalOut = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setIn(originalIn);
    System.setOut(originalOut);
  }

  /** Runs a command; returns its exit code. What it printed is in {@link #printed()}. */
  private int run(String stdin, String... args) {
    stdout.reset();
    err = new StringWriter();
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    CommandLine commandLine = Latchkey.commandLine();
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    commandLine.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dataDir.toString();
    return commandLine.execute(all);
  }

  private String printed() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  /** Starts {@code latchkey serve} in this JVM, on a free loopback port, with these flags. */
  private AuthServer serve(String... flags) throws Exception {
    ServeCommand command = new ServeCommand();
    String[] fixed = {
      "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--data-dir", dataDir.toString()
    };
    String[] all = new String[flags.length + fixed.length];
    System.arraycopy(flags, 0, all, 0, flags.length);
    System.arraycopy(fixed, 0, all, flags.length, fixed.length);
    new CommandLine(command)
        .setDefaultValueProvider(new EnvironmentDefaults(java.util.Map.of()))
        .parseArgs(all);
    return AuthServer.start(command.config(), command.policyRequest());
  }

  @Test
  void commandsRunBesideARunningServerUnderItsStoredPolicy() throws Exception {
    try (AuthServer server =
        serve(
            "--algorithm",
            "ES256",
            "--session-length",
            "8h",
            "--audience",
            "shop",
            "--issuer",
            "https://auth.example.com",
            "--rotation-period",
            "20s",
            "--jwks-max-age",
            "5s")) {
      assertThat(run("", "keys", "list")).as(err.toString()).isZero();
      assertThat(printed()).contains("ES256");

      assertThat(run("a long enough passphrase\n", "users", "add", "ada@example.com"))
          .as(err.toString())
          .isZero();
      assertThat(run("", "token", "ada@example.com")).as(err.toString()).isZero();
      SignedJWT token = SignedJWT.parse(printed().trim());
      assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
      assertThat(token.getJWTClaimsSet().getAudience()).containsExactly("shop");
      assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo("https://auth.example.com");
      assertThat(
              token.getJWTClaimsSet().getExpirationTime().getTime()
                  - token.getJWTClaimsSet().getIssueTime().getTime())
          .isEqualTo(8 * 3600 * 1000L);

      // keys rotate acts under the stored 5 s max-age and says so
      assertThat(run("", "keys", "rotate")).as(err.toString()).isZero();
      assertThat(printed()).contains("published next key").contains("(ES256)");

      assertThat(run("", "keys", "rotate", "--now")).as(err.toString()).isZero();
      assertThat(printed())
          .contains("now signs (was next)")
          .contains("retired key")
          .contains("Verifiers that cached the JWK Set")
          .contains("(5s)");

      assertThat(run("", "token", "ada@example.com", "--issuer", "https://other.example.com"))
          .isEqualTo(1);
      assertThat(err.toString()).contains("differs from the stored key policy's issuer");
    }
  }

  @Test
  void clientsAreRegisteredListedAndRemovedBesideARunningServer() throws Exception {
    try (AuthServer server = serve()) {
      Path secret = dataDir.resolve("web.secret");
      Files.writeString(secret, "a-web-client-secret-of-some-length\n");
      assertThat(
              run(
                  "",
                  "clients",
                  "add",
                  "spa",
                  "--public",
                  "--redirect-uri",
                  "https://spa.example.com/callback",
                  "--redirect-uri",
                  "http://127.0.0.1/callback",
                  "--post-logout-redirect-uri",
                  "https://spa.example.com/"))
          .isEqualTo(0);
      assertThat(printed()).contains("Added public client spa");
      assertThat(
              run(
                  "",
                  "clients",
                  "add",
                  "web",
                  "--secret-file",
                  secret.toString(),
                  "--redirect-uri",
                  "https://web.example.com/cb"))
          .isEqualTo(0);
      assertThat(printed()).contains("Added confidential client web");

      // the running server sees them at once: the authorization request is answered to the client
      HttpResponse<String> authorize =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              server.baseUrl()
                                  + "/authorize?client_id=spa&redirect_uri="
                                  + "http%3A%2F%2F127.0.0.1%3A49152%2Fcallback&response_type=code"
                                  + "&scope=openid"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(authorize.statusCode()).isEqualTo(302);
      assertThat(authorize.headers().firstValue("Location").orElseThrow())
          .startsWith("http://127.0.0.1:49152/callback?error=invalid_request");
      assertThat(
              server
                  .store()
                  .oidcClients()
                  .secretMatches("web", "a-web-client-secret-of-some-length"))
          .isTrue();
      try (var files = Files.walk(dataDir)) {
        List<Path> databases = files.filter(p -> p.toString().endsWith(".mv.db")).toList();
        assertThat(databases).isNotEmpty();
        for (Path db : databases) {
          assertThat(Files.readString(db, StandardCharsets.ISO_8859_1))
              .doesNotContain("a-web-client-secret-of-some-length");
        }
      }

      assertThat(run("", "clients", "list")).isEqualTo(0);
      assertThat(printed())
          .contains(
              "spa\tpublic\tredirect https://spa.example.com/callback http://127.0.0.1/callback")
          .contains("web\tconfidential");

      assertThat(
              run(
                  "",
                  "clients",
                  "add",
                  "bad",
                  "--public",
                  "--redirect-uri",
                  "http://app.example.com/cb"))
          .isEqualTo(1);
      assertThat(err.toString()).contains("http is allowed only on a loopback host");
      assertThat(
              run(
                  "",
                  "clients",
                  "add",
                  "spa",
                  "--public",
                  "--redirect-uri",
                  "https://x.example.com/"))
          .isEqualTo(1);
      assertThat(err.toString()).contains("exists");
      assertThat(run("", "clients", "add", "neither", "--redirect-uri", "https://x.example.com/"))
          .isEqualTo(2);

      assertThat(run("", "clients", "remove", "spa")).isEqualTo(0);
      assertThat(run("", "clients", "remove", "spa")).isEqualTo(1);
      assertThat(server.store().oidcClients().find("spa")).isEmpty();
    }
  }

  @Test
  void aSessionRevokedFromTheCommandLineIsCountedByTheRunningServer() throws Exception {
    try (AuthServer server = serve()) {
      assertThat(scrape(server)).contains("latchkey_revocations_recorded_total 0.0");
      assertThat(run("a long enough passphrase\n", "users", "add", "ada@example.com"))
          .as(err.toString())
          .isZero();
      assertThat(run("", "token", "ada@example.com")).as(err.toString()).isZero();
      assertThat(run("", "sessions", "revoke", "--user", "ada@example.com"))
          .as(err.toString())
          .isZero();
      assertThat(printed()).contains("Revoked 1 session");
      assertThat(scrape(server)).contains("latchkey_revocations_recorded_total 1.0");
    }
  }

  @Test
  void anOperatorResetRemovesTheSecondFactorsAndSignsTheUserOut() throws Exception {
    try (AuthServer server = serve()) {
      assertThat(run("a long enough passphrase\n", "users", "add", "ada@example.com"))
          .as(err.toString())
          .isZero();
      String id = server.store().users().idOf("ada@example.com");
      SecondFactors factors =
          new SecondFactors(
              server.store().database(),
              MasterKey.load(server.store().config().store()),
              Clock.systemUTC(),
              server.store().audit());
      TotpEnrolment enrolment = factors.startTotpEnrolment(id, "ada@example.com");
      factors.confirmTotp(id, currentCode(enrolment.secret()));
      assertThat(run("", "token", "ada@example.com")).as(err.toString()).isZero();

      assertThat(run("", "users", "mfa", "ada@example.com")).as(err.toString()).isZero();
      assertThat(printed())
          .isEqualTo("ada@example.com: TOTP on, 0 passkeys, 10 recovery codes left\n");

      assertThat(run("", "users", "mfa", "ada@example.com", "--reset")).as(err.toString()).isZero();
      assertThat(printed())
          .startsWith(
              "Reset second factors of ada@example.com: TOTP removed, 10 recovery codes and 0"
                  + " passkeys removed; revoked 1 session\n");
      assertThat(factors.summary(id).totp()).isFalse();
      assertThat(scrape(server)).contains("latchkey_revocations_recorded_total 1.0");

      assertThat(run("", "users", "mfa", "ada@example.com")).isZero();
      assertThat(printed()).isEqualTo("ada@example.com: no second factor\n");
      assertThat(run("", "users", "mfa", "nobody@example.com", "--reset")).isEqualTo(1);
    }
  }

  /** The current TOTP code, computed here from RFC 6238 rather than by the server's class. */
  private static String currentCode(String base32Secret) throws Exception {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteArrayOutputStream key = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : base32Secret.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        key.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(key.toByteArray(), "HmacSHA1"));
    byte[] h =
        mac.doFinal(ByteBuffer.allocate(8).putLong(Instant.now().getEpochSecond() / 30).array());
    int o = h[19] & 0xf;
    int value =
        ((h[o] & 0x7f) << 24 | (h[o + 1] & 0xff) << 16 | (h[o + 2] & 0xff) << 8 | (h[o + 3] & 0xff))
            % 1_000_000;
    return String.format("%06d", value);
  }

  private static String scrape(AuthServer server) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void aServerStartedWithOtherPolicyFlagsIsRefusedUntilThePolicyIsChanged() throws Exception {
    serve("--algorithm", "ES256", "--audience", "shop").close();

    // without the policy flags: the stored policy
    try (AuthServer server = serve()) {
      assertThat(server.store().config().keys().algorithm()).isEqualTo("ES256");
      assertThat(server.store().config().tokens().audience()).isEqualTo("shop");
    }

    assertThatThrownBy(() -> serve("--algorithm", "RS256", "--audience", "shop"))
        .isInstanceOf(PolicyMismatchException.class)
        .hasMessageContaining("algorithm RS256 (stored: ES256)")
        .hasMessageNotContaining("audience")
        .hasMessageContaining("latchkey keys policy")
        .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));

    assertThat(run("", "keys", "policy", "--algorithm", "RS256")).as(err.toString()).isZero();
    assertThat(printed()).contains("algorithm: ES256 -> RS256");

    assertThat(run("", "keys", "policy")).isZero();
    assertThat(printed()).contains("algorithm:       RS256").contains("audience:        shop");

    serve("--algorithm", "RS256", "--audience", "shop").close();
  }

  @Test
  void anInvalidPolicyChangeIsRefused() {
    assertThat(run("", "keys", "policy", "--rotation-period", "1h", "--jwks-max-age", "1h"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("rotationPeriod must be at least twice jwksMaxAge");
  }

  @Test
  void anUnreachableDatabaseIsOneLineAndExitCodeOne() {
    assertThat(run("", "keys", "list", "--db-url", "jdbc:postgresql://127.0.0.1:1/latchkey"))
        .isEqualTo(1);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString())
        .startsWith("latchkey list: cannot open the database at jdbc:postgresql://127.0.0.1:1/")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void aCorruptEmbeddedDatabaseIsOneLineAndExitCodeOne() throws Exception {
    Files.writeString(dataDir.resolve("latchkey.mv.db"), "not a database ".repeat(400));
    assertThat(run("", "users", "list")).isEqualTo(1);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString())
        .startsWith("latchkey list: cannot open the database at jdbc:h2:file:")
        .doesNotContain("\tat ");
  }
}
