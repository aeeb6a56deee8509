package dev.latchkey.cli;

import dev.latchkey.server.AuthStore;
import dev.latchkey.server.oidc.ClientException;
import dev.latchkey.server.oidc.OidcClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Registers OpenID Connect clients, beside a running server (each request reads the table). */
@Command(
    name = "clients",
    mixinStandardHelpOptions = true,
    description =
        "Registers, lists and removes OpenID Connect clients (first-party applications that sign"
            + " users in with the authorization code flow and PKCE).",
    subcommands = {
      ClientsCommand.Add.class,
      ClientsCommand.ListClients.class,
      ClientsCommand.Remove.class
    })
final class ClientsCommand {

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Registers a client.")
  static final class Add extends StoreCommand {
    @Parameters(paramLabel = "CLIENT_ID")
    String clientId;

    @Option(
        names = "--redirect-uri",
        paramLabel = "URI",
        required = true,
        description =
            "Where the client receives its code, matched exactly (repeatable). https, or http on"
                + " 127.0.0.1/[::1] (any port) or localhost, or a native app's private-use scheme.")
    List<String> redirectUris = new ArrayList<>();

    @Option(
        names = "--post-logout-redirect-uri",
        paramLabel = "URI",
        description = "Where a logout may return to, matched exactly (repeatable).")
    List<String> postLogoutUris = new ArrayList<>();

    @ArgGroup(multiplicity = "1")
    Kind kind;

    static final class Kind {
      @Option(
          names = "--public",
          description = "A public client (a browser or native app): no secret, PKCE only.")
      boolean publicClient;

      @Option(
          names = "--secret-file",
          paramLabel = "FILE",
          description =
              "A confidential client: its secret is the first line of FILE (24 to 200 printable"
                  + " characters); only a keyed hash of it is stored.")
      Path secretFile;
    }

    @Override
    void run(AuthStore store) throws Exception {
      String secret = null;
      if (kind.secretFile != null) {
        List<String> lines = Files.readAllLines(kind.secretFile, StandardCharsets.UTF_8);
        secret = lines.isEmpty() ? "" : lines.get(0).strip();
      }
      OidcClient client = store.oidcClients().add(clientId, redirectUris, secret, postLogoutUris);
      System.out.println(
          "Added "
              + (client.confidential() ? "confidential" : "public")
              + " client "
              + client.clientId());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the clients.")
  static final class ListClients extends StoreCommand {
    @Override
    void run(AuthStore store) {
      for (OidcClient c : store.oidcClients().list()) {
        System.out.println(
            c.clientId()
                + "\t"
                + (c.confidential() ? "confidential" : "public")
                + "\tredirect "
                + String.join(" ", c.redirectUris())
                + (c.postLogoutRedirectUris().isEmpty()
                    ? ""
                    : "\tafter logout " + String.join(" ", c.postLogoutRedirectUris())));
      }
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Removes a client: its codes and refresh tokens stop working at once (access tokens"
              + " already issued run until they expire).")
  static final class Remove extends StoreCommand {
    @Parameters(paramLabel = "CLIENT_ID")
    String clientId;

    @Override
    void run(AuthStore store) {
      if (!store.oidcClients().remove(clientId)) {
        throw new ClientException("unknown_client", "no client " + clientId);
      }
      System.out.println("Removed client " + clientId);
    }
  }
}
