package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.verifier.JwtVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator commands keep standard output for their answer, so that scripts can capture it ({@code
 * TOKEN=$(latchkey token ...)}): their logs and audit lines go to standard error, or the audit
 * lines to the {@code --audit-log} file.
 */
class OperatorOutputTest {
  private static final String PASSWORD = "a long enough passphrase\n";

  @TempDir Path folder;

  @Test
  void tokenPrintsOnlyTheTokenEvenWhenItCreatesTheFirstKey() throws Exception {
    Path data = folder.resolve("data");
    LatchkeyProcess.Result add = addAda(data);
    assertThat(add.exit()).as(add.err()).isZero();

    LatchkeyProcess.Result token =
        LatchkeyProcess.run(folder, "", "token", "ada@example.com", "--data-dir", dir(data));

    assertThat(token.exit()).as(token.err()).isZero();
    // the first key was made by this command: said on standard error, log and audit line
    assertThat(token.err()).contains("INFO  SigningKeys - Signing keys:");
    assertThat(token.err()).contains("\"event\":\"key_created\"");
    assertThat(token.out()).endsWith("\n");
    assertThat(token.out().lines()).hasSize(1);
    String jwt = token.out().strip();
    try (AuthStore store = openStore(data);
        JwtVerifier verifier =
            JwtVerifier.withJwkSet(store.keys().publicJwkSet())
                .issuer(store.tokens().issuer())
                .audience(store.config().tokens().audience())
                .build()) {
      assertThat(verifier.verify(jwt).subject()).isEqualTo(store.users().idOf("ada@example.com"));
    }
  }

  @Test
  void usersAddAnswersOnStandardOutputAndLogsElsewhere() throws Exception {
    Path data = folder.resolve("data");
    LatchkeyProcess.Result add = addAda(data, "--role", "admin");

    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(add.out()).matches("Added ada@example\\.com \\(id \\S+, roles admin\\)\n");
    assertThat(add.err()).contains("INFO  Database - Database ready at ");
    assertThat(add.err()).contains("\"event\":\"user_created\"");
  }

  @Test
  void withAnAuditLogTheAuditLinesGoOnlyToTheFile() throws Exception {
    Path data = folder.resolve("data");
    Path audit = folder.resolve("audit.jsonl");
    LatchkeyProcess.Result add = addAda(data, "--audit-log", audit.toString());

    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(add.out()).startsWith("Added ada@example.com (id ").hasLineCount(1);
    assertThat(add.err()).contains("Database ready").doesNotContain("user_created");
    assertThat(Files.readString(audit)).contains("\"event\":\"user_created\"");
  }

  /** {@code latchkey users add ada@example.com --data-dir DATA FLAGS}, the password piped in. */
  private LatchkeyProcess.Result addAda(Path data, String... flags) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("users", "add", "ada@example.com", "--data-dir", dir(data)));
    args.addAll(List.of(flags));
    return LatchkeyProcess.run(folder, PASSWORD, args.toArray(String[]::new));
  }

  private static AuthStore openStore(Path data) {
    return AuthStore.openForOperator(
        AuthServerConfig.defaults().withStore(StoreSettings.embedded(data)));
  }

  private static String dir(Path path) {
    return path.toAbsolutePath().toString();
  }
}
