package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator commands against a real embedded database in a temporary data folder. */
class CommandLineTest {

  @TempDir Path dataDir;
  private InputStream originalIn;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void saveStdin() {
    originalIn = System.in;
  }

  @AfterEach
  void restoreStdin() {
    System.setIn(originalIn);
  }

  private int run(String stdin, String... args) {
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    CommandLine commandLine = Latchkey.commandLine(args); // as main builds it
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    String[] withData = new String[args.length + 2];
    System.arraycopy(args, 0, withData, 0, args.length);
    withData[args.length] = "--data-dir";
    withData[args.length + 1] = dataDir.toString();
    return commandLine.execute(withData);
  }

  /** What the commands print on standard output while {@code action} runs. */
  private static String printed(Runnable action) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(originalOut);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aNamedSubcommandIsTheOnlyOneBuiltAndAnythingElseGetsThemAll() {
    assertThat(Latchkey.commandLine("serve", "--port", "9000").getSubcommands())
        .containsOnlyKeys("serve");
    assertThat(Latchkey.commandLine("users", "list").getSubcommands()).containsOnlyKeys("users");
    List<String> every =
        List.of(
            "demo",
            "serve",
            "app",
            "users",
            "clients",
            "keys",
            "token",
            "sessions",
            ClassArchiveTrainingCommand.NAME,
            "help");
    for (String[] args :
        new String[][] {{}, {"help", "serve"}, {"--version"}, {"srve"}, {"SERVE"}}) {
      assertThat(Latchkey.commandLine(args).getSubcommands().keySet())
          .as(String.join(" ", args))
          .containsExactlyElementsOf(every);
    }
    // the launcher's, not an operator's
    assertThat(Latchkey.commandLine().getUsageMessage())
        .contains("sessions")
        .doesNotContain(ClassArchiveTrainingCommand.NAME);
  }

  @Test
  void rolesAreGrantedAtAddAndChangedForTheNextToken() throws Exception {
    assertThat(
            run(
                "a long enough passphrase\n",
                "users",
                "add",
                "root@example.com",
                "--role",
                "admin",
                "--role",
                "teacher"))
        .isZero();
    assertThat(printed(() -> assertThat(run("", "users", "list")).isZero()))
        .contains("root@example.com", "roles=admin,teacher");

    String change =
        printed(
            () ->
                assertThat(
                        run(
                            "",
                            "users",
                            "roles",
                            "root@example.com",
                            "--add",
                            "auditor",
                            "--remove",
                            "teacher"))
                    .isZero());
    assertThat(change)
        .contains("Roles of root@example.com: admin,auditor")
        .contains("next token (refresh or login)");
    String token = printed(() -> assertThat(run("", "token", "root@example.com")).isZero()).trim();
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringListClaim("roles"))
        .containsExactly("admin", "auditor");
    assertThat(run("", "users", "roles", "root@example.com", "--add", "no spaces")).isEqualTo(1);
  }

  @Test
  void addsAUserWithThePasswordFromStandardInputAndIssuesATokenForIt() throws Exception {
    assertThat(run("a long enough passphrase\n", "users", "add", "ada@example.com")).isZero();
    assertThat(run("", "users", "list")).isZero();

    String token =
        printed(
                () ->
                    assertThat(run("", "token", "ada@example.com", "--issuer", "http://auth.test"))
                        .isZero())
            .trim();
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("http://auth.test");
    assertThat(jwt.getJWTClaimsSet().getSubject()).isNotBlank().doesNotContain("ada@");
  }

  @Test
  void refusesAWeakPasswordInOneLineWithoutAStackTrace() {
    assertThat(run("password\n", "users", "add", "bob@example.com")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("latchkey users add: ")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void refusesAMissingPassword() {
    assertThat(run("", "users", "add", "carol@example.com")).isEqualTo(1);
    assertThat(err.toString()).contains("no password on standard input");
  }

  @Test
  void aTokenForAnUnknownUserIsRefused() {
    assertThat(run("", "token", "nobody@example.com")).isEqualTo(1);
    assertThat(err.toString()).contains("nobody@example.com");
  }

  @Test
  void rotateAndRevokeSayWhatChanged() {
    assertThat(run("a long enough passphrase\n", "users", "add", "dan@example.com")).isZero();
    String printed =
        printed(
            () -> {
              assertThat(run("", "token", "dan@example.com")).isZero();
              assertThat(run("", "keys", "rotate")).isZero();
              assertThat(run("", "keys", "list")).isZero();
              assertThat(run("", "keys", "revoke", "no-such-kid")).isEqualTo(1);
            });
    assertThat(printed).contains(" active ").contains(" next ");
    assertThat(err.toString()).contains("no-such-kid");
  }

  @Test
  void keysRevokePrintsTheBound() {
    assertThat(run("a long enough passphrase\n", "users", "add", "fay@example.com")).isZero();
    String printed =
        printed(
            () -> {
              assertThat(run("", "token", "fay@example.com")).isZero();
              assertThat(run("", "keys", "list")).isZero();
            });
    String kid =
        printed
            .lines()
            .filter(l -> l.matches("\\S+ active .*"))
            .findFirst()
            .orElseThrow()
            .split(" ")[0];
    String revoked =
        printed(() -> assertThat(run("", "keys", "revoke", kid)).as(err.toString()).isZero());
    assertThat(revoked)
        .contains("revoked key " + kid)
        .contains("Verifiers refuse its tokens within 60 s (assuming they poll")
        .contains("JWKS max-age of 3600 s");
  }

  @Test
  void sessionsRevokeLogsAUserOutEverywhere() {
    assertThat(run("a long enough passphrase\n", "users", "add", "eve@example.com")).isZero();
    String printed =
        printed(
            () -> {
              assertThat(run("", "token", "eve@example.com")).isZero();
              assertThat(run("", "sessions", "revoke", "--user", "eve@example.com")).isZero();
              assertThat(run("", "sessions", "revoke", "--user", "EVE@example.com")).isZero();
            });
    assertThat(printed)
        .contains("Revoked 1 session of eve@example.com")
        .contains("Verifiers refuse their tokens within 60 s (assuming they poll")
        .contains("Revoked 0 sessions of EVE@example.com");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void sessionsRevokeRefusesAnUnknownUserInOneLine() {
    assertThat(run("", "sessions", "revoke", "--user", "nobody@example.com")).isEqualTo(1);
    assertThat(err.toString().strip())
        .startsWith("latchkey sessions revoke: ")
        .contains("nobody@example.com")
        .doesNotContain("Exception")
        .doesNotContain("\n");
    err.getBuffer().setLength(0);
    assertThat(run("", "sessions", "revoke", "--user", "no-such-id")).isEqualTo(1);
    assertThat(err.toString()).contains("no-such-id");
  }

  @Test
  void sessionsRevokeNeedsTheUserFlag() {
    assertThat(run("", "sessions", "revoke")).isEqualTo(2);
    assertThat(err.toString()).contains("--user");
  }

  @Test
  void sessionsRevokeNeverTakesTheUserFromTheEnvironment() {
    CommandLine commandLine =
        Latchkey.commandLine()
            .setDefaultValueProvider(
                new EnvironmentDefaults(Map.of("LATCHKEY_USER", "eve@example.com")));
    commandLine.setErr(new PrintWriter(err, true));
    assertThat(commandLine.execute("sessions", "revoke", "--data-dir", dataDir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--user EMAIL is required on the command line");
  }
}
