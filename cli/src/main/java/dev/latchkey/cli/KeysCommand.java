package dev.latchkey.cli;

import dev.latchkey.server.AuthStore;
import dev.latchkey.server.keys.SigningKeyInfo;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Lists, rotates and revokes signing keys; each change is printed. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Lists, rotates and revokes signing keys.",
    subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Revoke.class})
final class KeysCommand {

  private static void print(List<String> changes) {
    if (changes.isEmpty()) {
      System.out.println("Nothing changed");
    }
    changes.forEach(System.out::println);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists signing keys.")
  static final class ListKeys extends StoreCommand {
    @Override
    void run(AuthStore store) {
      for (SigningKeyInfo key : store.keys().list()) {
        System.out.println(key.describe());
      }
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Rotates now: the next key (created if missing) starts signing, the active one retires.")
  static final class Rotate extends StoreCommand {
    @Override
    void run(AuthStore store) {
      print(store.keys().rotate());
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Removes a key from the JWK Set at once and lists it in the revocation feed; prints"
              + " within how long verifiers refuse its tokens.")
  static final class Revoke extends StoreCommand {
    @Parameters(paramLabel = "KID")
    String kid;

    @Override
    void run(AuthStore store) {
      print(store.keys().revoke(kid));
      System.out.println(RevocationBound.forKey(store));
    }
  }
}
