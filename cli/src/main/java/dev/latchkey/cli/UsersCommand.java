package dev.latchkey.cli;

import dev.latchkey.server.AuthStore;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.mfa.FactorSummary;
import dev.latchkey.server.mfa.SecondFactors;
import dev.latchkey.server.users.UserSummary;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Manages users without a running server. */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description =
        "Adds, lists, disables users and sets passwords. Passwords are read from the terminal"
            + " or standard input, never from the command line.",
    subcommands = {
      UsersCommand.Add.class,
      UsersCommand.Passwd.class,
      UsersCommand.Disable.class,
      UsersCommand.Enable.class,
      UsersCommand.RolesOf.class,
      UsersCommand.Unlock.class,
      UsersCommand.Mfa.class,
      UsersCommand.ListUsers.class
    })
final class UsersCommand {

  /** What {@code users roles} and the docs say about when a change applies. */
  static final String NEXT_TOKEN =
      "The change takes effect at the user's next token (refresh or login); tokens already"
          + " issued keep their roles until they expire.";

  /** A command about one user, named by email. */
  abstract static class OneUser extends StoreCommand {
    @Parameters(paramLabel = "EMAIL")
    String email;
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a user.")
  static final class Add extends OneUser {
    @Option(
        names = "--role",
        paramLabel = "ROLE",
        description = "A role to grant, carried in the tokens' roles claim (repeatable).")
    List<String> roles = new ArrayList<>();

    @Override
    void run(AuthStore store) throws Exception {
      PasswordInput.use(
          "Password for " + email,
          password -> {
            String id = store.users().add(email, password, roles);
            System.out.println(
                "Added "
                    + email
                    + " (id "
                    + id
                    + (roles.isEmpty() ? "" : ", roles " + String.join(",", roles))
                    + ")");
          });
    }
  }

  @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Sets a password.")
  static final class Passwd extends OneUser {
    @Override
    void run(AuthStore store) throws Exception {
      PasswordInput.use(
          "New password for " + email,
          password -> {
            store.users().setPassword(email, password);
            System.out.println("Password of " + email + " changed");
          });
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disables a user.")
  static final class Disable extends OneUser {
    @Override
    void run(AuthStore store) {
      store.users().disable(email);
      System.out.println("Disabled " + email);
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enables a user.")
  static final class Enable extends OneUser {
    @Override
    void run(AuthStore store) {
      store.users().enable(email);
      System.out.println("Enabled " + email);
    }
  }

  @Command(
      name = "roles",
      mixinStandardHelpOptions = true,
      description = {
        "Grants and withdraws roles, and prints the user's roles.",
        "The change takes effect at the user's next token (refresh or login)."
      })
  static final class RolesOf extends OneUser {
    @Option(names = "--add", paramLabel = "ROLE", description = "A role to grant (repeatable).")
    List<String> add = new ArrayList<>();

    @Option(
        names = "--remove",
        paramLabel = "ROLE",
        description = "A role to withdraw (repeatable).")
    List<String> remove = new ArrayList<>();

    @Override
    void run(AuthStore store) {
      String id = store.users().idOf(email);
      List<String> roles = store.users().roles().change(id, add, remove);
      System.out.println(
          "Roles of " + email + ": " + (roles.isEmpty() ? "(none)" : String.join(",", roles)));
      if (!add.isEmpty() || !remove.isEmpty()) {
        System.out.println(NEXT_TOKEN);
      }
    }
  }

  @Command(
      name = "unlock",
      mixinStandardHelpOptions = true,
      description =
          "Clears an account's brute-force lock and failure count (any email, known or not).")
  static final class Unlock extends OneUser {
    @Override
    void run(AuthStore store) {
      boolean wasCounted = store.throttle().unlockAccount(email, "operator");
      System.out.println(
          wasCounted ? "Unlocked " + email : "No failed logins were counted for " + email);
    }
  }

  @Command(
      name = "mfa",
      mixinStandardHelpOptions = true,
      description = {
        "Prints a user's second factors; with --reset, removes them all and signs the user out.",
        "For a user who lost their authenticator: the next sign-in needs only the password."
      })
  static final class Mfa extends OneUser {
    @Option(
        names = "--reset",
        description =
            "Removes every second factor, passkey and recovery code of the user and revokes every"
                + " session of the user.")
    boolean reset;

    @Override
    void run(AuthStore store) {
      String id = store.users().idOf(email);
      SecondFactors factors =
          new SecondFactors(
              store.database(),
              MasterKey.load(store.config().store()),
              store.config().clock(),
              store.audit());
      if (!reset) {
        System.out.println(email + ": " + describe(factors.summary(id)));
        return;
      }
      SecondFactors.Reset done = factors.resetByOperator(id, store.sessionRevocation());
      System.out.println(
          "Reset second factors of "
              + email
              + ": "
              + (done.totpRemoved() ? "TOTP removed" : "no TOTP")
              + ", "
              + done.recoveryCodesRemoved()
              + " recovery codes and "
              + done.passkeysRemoved()
              + " passkeys removed; revoked "
              + done.sessionsRevoked()
              + (done.sessionsRevoked() == 1 ? " session" : " sessions"));
      if (done.sessionsRevoked() > 0) {
        System.out.println(RevocationBound.forSessions(store));
      }
    }

    private static String describe(FactorSummary summary) {
      if (!summary.secondStepRequired()) {
        return "no second factor";
      }
      return (summary.totp() ? "TOTP on, " : "no TOTP, ")
          + summary.passkeys().size()
          + " passkeys, "
          + summary.recoveryCodesLeft()
          + " recovery codes left";
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists users.")
  static final class ListUsers extends StoreCommand {
    @Override
    void run(AuthStore store) {
      for (UserSummary user : store.users().list()) {
        System.out.println(user.describe());
      }
    }
  }
}
