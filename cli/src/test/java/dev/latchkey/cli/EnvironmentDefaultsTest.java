package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EnvironmentDefaultsTest {

  private static AppCommand parse(Map<String, String> environment, String... args) {
    AppCommand command = new AppCommand();
    new CommandLine(command)
        .setDefaultValueProvider(new EnvironmentDefaults(environment))
        .parseArgs(args);
    return command;
  }

  @Test
  void optionDefaultsApplyWhenNothingIsSet() {
    AppCommand command = parse(Map.of());
    assertThat(command.port).isEqualTo(8080);
    assertThat(command.authUrl.toString()).isEqualTo("http://localhost:9000");
  }

  @Test
  void environmentVariablesOverrideDefaults() {
    AppCommand command =
        parse(Map.of("LATCHKEY_PORT", "8181", "LATCHKEY_AUTH_URL", "http://auth.test:9100"));
    assertThat(command.port).isEqualTo(8181);
    assertThat(command.authUrl.toString()).isEqualTo("http://auth.test:9100");
  }

  @Test
  void flagsOverrideEnvironmentVariables() {
    AppCommand command = parse(Map.of("LATCHKEY_PORT", "8181"), "--port", "8282");
    assertThat(command.port).isEqualTo(8282);
  }

  @Test
  void blankVariablesAreIgnored() {
    assertThat(parse(Map.of("LATCHKEY_PORT", " ")).port).isEqualTo(8080);
  }
}
