package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.oidc.OidcClient;
import dev.latchkey.server.store.StoreSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code latchkey demo --code-flow}: the public client it registers, and what it refuses. */
class DemoClientTest {

  @TempDir Path dataDir;

  @Test
  void registersThePublicClientForTheAppsOriginAndFollowsTheAppToAnotherPort() {
    try (AuthStore store =
        AuthStore.openForOperator(
            AuthServerConfig.defaults().withStore(StoreSettings.embedded(dataDir)))) {
      DemoClient.ensure(store.oidcClients(), "http://localhost:8080");
      OidcClient first = store.oidcClients().find(DemoClient.CLIENT_ID).orElseThrow();
      assertThat(first.confidential()).isFalse();
      assertThat(first.redirectUris()).containsExactly("http://localhost:8080/auth/code");
      assertThat(first.postLogoutRedirectUris()).containsExactly("http://localhost:8080/");

      DemoClient.ensure(store.oidcClients(), "http://localhost:8080"); // the next start
      assertThat(store.oidcClients().list()).containsExactly(first);

      DemoClient.ensure(store.oidcClients(), "http://localhost:8081"); // --app-port 8081
      OidcClient moved = store.oidcClients().find(DemoClient.CLIENT_ID).orElseThrow();
      assertThat(moved.redirectUris()).isEqualTo(List.of("http://localhost:8081/auth/code"));
      assertThat(moved.postLogoutRedirectUris()).isEqualTo(List.of("http://localhost:8081/"));
    }
  }

  @Test
  void theCodeFlowWithCookieDeliveryIsRefusedBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = Latchkey.commandLine(new String[] {"demo"});
    commandLine.setErr(new PrintWriter(err, true));
    int exit =
        commandLine.execute(
            "demo", "--code-flow", "--delivery", "cookie", "--data-dir", dataDir.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--code-flow needs --delivery body");
  }
}
