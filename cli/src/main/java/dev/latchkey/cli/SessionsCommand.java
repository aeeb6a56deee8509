package dev.latchkey.cli;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.users.UserException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Manages server-side sessions without a running server. */
@Command(
    name = "sessions",
    mixinStandardHelpOptions = true,
    description = "Ends sessions; application servers learn it from GET /api/revocations.",
    subcommands = {SessionsCommand.Revoke.class})
final class SessionsCommand {

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Logs a user out everywhere: revokes every live session of the user (their tokens are"
              + " refused once verifiers poll the revocation feed; refresh stops at once).")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StoreOptions store;

    @Mixin AuditLogOption auditLog;

    @Option(
        names = "--user",
        required = true,
        paramLabel = "EMAIL",
        description = "The user's email (or id, as `latchkey users list` shows it).")
    String user;

    @Override
    public Integer call() throws Exception {
      if (!spec.commandLine().getParseResult().hasMatchedOption("--user")) {
        // EnvironmentDefaults would read LATCHKEY_USER; whom to log out is never implicit.
        throw new ParameterException(
            spec.commandLine(), "--user EMAIL is required on the command line");
      }
      Logging.forOperator(auditLog.path);
      AuthServerConfig config = AuthServerConfig.defaults().withStore(store.settings());
      try (AuthStore opened = AuthStore.open(config)) {
        if (!user.contains("@")
            && opened.users().list().stream().noneMatch(u -> u.id().equals(user))) {
          throw new UserException("unknown_user", "no user with id " + user);
        }
        int n = opened.sessionRevocation().revokeAllForUser(user);
        System.out.println("Revoked " + n + (n == 1 ? " session" : " sessions") + " of " + user);
        if (n > 0) {
          System.out.println(RevocationBound.forSessions(opened));
        }
      }
      return 0;
    }
  }
}
