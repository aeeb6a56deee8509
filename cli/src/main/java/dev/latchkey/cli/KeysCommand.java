package dev.latchkey.cli;

import dev.latchkey.server.AuthStore;
import dev.latchkey.server.keys.SigningKeyInfo;
import dev.latchkey.server.policy.KeyPolicy;
import dev.latchkey.server.policy.PolicyRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists, rotates and revokes signing keys; each change is printed. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Lists, rotates and revokes signing keys.",
    subcommands = {
      KeysCommand.ListKeys.class,
      KeysCommand.Rotate.class,
      KeysCommand.Revoke.class,
      KeysCommand.Policy.class
    })
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
      description = {
        "Rotates as soon as it is safe: publishes a next key (if there is none) that starts"
            + " signing one JWKS max-age later, when every verifier has seen it; a next key"
            + " published that long ago signs at once and the active one retires.",
        "--now: the next key (created if missing) signs at once, without waiting."
      })
  static final class Rotate extends StoreCommand {
    @Option(
        names = "--now",
        description =
            "Sign with a new key at once. Verifiers whose cached JWK Set predates it reject its"
                + " tokens until they refetch the set.")
    boolean now;

    @Override
    void run(AuthStore store) {
      if (!now) {
        print(store.keys().rotate());
        return;
      }
      print(store.keys().rotateImmediately());
      System.out.println(
          "Verifiers that cached the JWK Set before this do not know the new key: the Latchkey"
              + " verifier refetches at once on an unknown kid (rate-limited); others reject its"
              + " tokens until their cache expires, at most one JWKS max-age ("
              + KeyPolicy.show(store.keys().jwksMaxAge())
              + "). Tokens of the retired key keep verifying.");
    }
  }

  @Command(
      name = "policy",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the stored key policy; with flags on its command line, changes it (no environment"
            + " variable does: those exported for serve leave it as it is). Every auth server and"
            + " operator command acts under it. Changes are printed; running servers apply them"
            + " when restarted (one at a time), new keys use a new algorithm from the next"
            + " rotation."
      })
  static final class Policy extends StoreCommand {
    @Option(names = "--algorithm", description = "RS256, PS256 or ES256.")
    String algorithm;

    @Option(
        names = "--rotation-period",
        converter = DurationConverter.class,
        description =
            "How long a key signs before the next takes over; at least twice --jwks-max-age.")
    Duration rotationPeriod;

    @Option(
        names = "--jwks-max-age",
        converter = DurationConverter.class,
        description = "How long verifiers may cache the JWK Set (its Cache-Control max-age).")
    Duration jwksMaxAge;

    @Option(
        names = "--session-length",
        converter = DurationConverter.class,
        description = "How long a session token is valid (without refresh sessions).")
    Duration sessionLength;

    @Option(names = "--audience", description = "The aud claim of the tokens.")
    String audience;

    @Option(names = "--issuer", description = "An issuer; an empty value means the public URL.")
    String issuer;

    @Override
    void run(AuthStore store) {
      PolicyRequest request =
          new PolicyRequest(
              algorithm,
              rotationPeriod,
              jwksMaxAge,
              sessionLength,
              audience,
              issuer == null ? null : Optional.of(issuer).filter(i -> !i.isBlank()));
      KeyPolicy current = store.config().keyPolicy();
      if (request.isEmpty()) {
        current.describe().forEach(System.out::println);
        return;
      }
      store.config().withKeyPolicy(request.over(current)); // refuses an invalid combination
      print(store.policy().update(request, current));
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
