package dev.latchkey.cli;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.tokens.IssuedToken;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Issues a session token for a user, for scripts and API testing. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description =
        "Prints a session token for an enabled user, signed with the active key (no password"
            + " asked: whoever can run this can read the database anyway).")
final class TokenCommand implements Callable<Integer> {

  @Mixin StoreOptions store;

  @Mixin AuditLogOption auditLog;

  @Parameters(paramLabel = "EMAIL")
  String email;

  @Option(
      names = "--issuer",
      description =
          "The iss claim, only before any auth server has stored its key policy"
              + " (LATCHKEY_ISSUER); afterwards the stored policy's issuer (or the servers' public"
              + " URL), and a different value is refused. Default: http://localhost:9000.")
  String issuer;

  @Override
  public Integer call() throws Exception {
    Logging.forOperator(auditLog.path);
    AuthServerConfig config = AuthServerConfig.defaults().withStore(store.settings());
    String asked = issuer != null ? issuer : "http://localhost:9000";
    try (AuthStore opened =
        AuthStore.openForOperator(config.withTokens(config.tokens().withIssuer(asked)))) {
      String actual = opened.tokens().issuer();
      if (issuer != null && !actual.equals(issuer.replaceAll("/$", ""))) {
        throw new IllegalArgumentException(
            "--issuer " + issuer + " differs from the stored key policy's issuer " + actual);
      }
      IssuedToken token = opened.issueToken(email);
      System.out.println(token.token());
    }
    return 0;
  }
}
