package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoDefaultsGuardTest {

  @TempDir Path dataDir;

  @Test
  void serveOnAllAddressesWithTheDemoDefaultsIsRefusedInOneLine() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = Latchkey.commandLine();
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    commandLine.setErr(new PrintWriter(err, true));

    int exit = commandLine.execute("serve", "--data-dir", dataDir.toString());

    assertThat(exit).isEqualTo(1);
    String text = err.toString().strip();
    assertThat(text.lines()).hasSize(1);
    assertThat(text)
        .startsWith("latchkey serve: refusing to listen on 0.0.0.0")
        .contains("latchkey-demo")
        .contains("http://localhost:9000")
        .contains("--allow-demo-defaults")
        .doesNotContain("Exception");
  }

  @Test
  void eachDemoDefaultIsRefusedOnAPublicAddress() {
    assertThatThrownBy(
            () ->
                DemoDefaultsGuard.check(
                    "0.0.0.0", "https://auth.example.com", 9000, "latchkey-demo", false))
        .hasMessageContaining("demo audience latchkey-demo")
        .hasMessageNotContaining("issuer");
    assertThatThrownBy(
            () -> DemoDefaultsGuard.check("0.0.0.0", "http://127.0.0.1:9000", 9000, "app", false))
        .hasMessageContaining("local issuer http://127.0.0.1:9000")
        .hasMessageNotContaining("audience");
    assertThatThrownBy(() -> DemoDefaultsGuard.check("::", "http://[::1]:9000", 9000, "app", false))
        .hasMessageContaining("[::1]");
    assertThatThrownBy(() -> DemoDefaultsGuard.check("0.0.0.0", null, 9000, "app", false))
        .hasMessageContaining("http://localhost:9000");
  }

  @Test
  void realSettingsOrALoopbackAddressOrTheOverrideStart() {
    assertThatCode(
            () ->
                DemoDefaultsGuard.check("0.0.0.0", "https://auth.example.com", 9000, "app", false))
        .doesNotThrowAnyException();
    for (String loopback : new String[] {"localhost", "127.0.0.1", "127.0.0.2", "::1", "[::1]"}) {
      assertThatCode(() -> DemoDefaultsGuard.check(loopback, null, 9000, "latchkey-demo", false))
          .as(loopback)
          .doesNotThrowAnyException();
    }
    assertThatCode(() -> DemoDefaultsGuard.check("0.0.0.0", null, 9000, "latchkey-demo", true))
        .doesNotThrowAnyException();
  }

  @Test
  void localIssuers() {
    assertThat(DemoDefaultsGuard.isLocalIssuer("http://localhost:9000")).isTrue();
    assertThat(DemoDefaultsGuard.isLocalIssuer("http://LOCALHOST")).isTrue();
    assertThat(DemoDefaultsGuard.isLocalIssuer("http://auth.localhost")).isTrue();
    assertThat(DemoDefaultsGuard.isLocalIssuer("http://127.0.0.1:9000")).isTrue();
    assertThat(DemoDefaultsGuard.isLocalIssuer("http://[::1]:9000")).isTrue();
    assertThat(DemoDefaultsGuard.isLocalIssuer("https://auth.example.com")).isFalse();
    assertThat(DemoDefaultsGuard.isLocalIssuer("http://10.0.0.5:9000")).isFalse();
    assertThat(DemoDefaultsGuard.isLocalIssuer("latchkey")).isFalse();
  }
}
