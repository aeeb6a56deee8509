package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EnvironmentDefaultsTest {

  private final List<String> warnings = new ArrayList<>();

  private <T> T parse(T command, Map<String, String> environment, String... args) {
    new CommandLine(command)
        .setDefaultValueProvider(new EnvironmentDefaults(environment, warnings::add))
        .parseArgs(args);
    return command;
  }

  private AppCommand app(Map<String, String> environment, String... args) {
    return parse(new AppCommand(), environment, args);
  }

  @Test
  void optionDefaultsApplyWhenNothingIsSet() {
    AppCommand command = app(Map.of());
    assertThat(command.appServer.port).isEqualTo(8080);
    assertThat(command.authUrl.toString()).isEqualTo("http://localhost:9000");
    assertThat(warnings).isEmpty();
  }

  @Test
  void environmentVariablesOverrideDefaults() {
    AppCommand command =
        app(Map.of("LATCHKEY_APP_PORT", "8181", "LATCHKEY_AUTH_URL", "http://auth.test:9100"));
    assertThat(command.appServer.port).isEqualTo(8181);
    assertThat(command.authUrl.toString()).isEqualTo("http://auth.test:9100");
  }

  @Test
  void flagsOverrideEnvironmentVariables() {
    assertThat(app(Map.of("LATCHKEY_APP_PORT", "8181"), "--port", "8282").appServer.port)
        .isEqualTo(8282);
    assertThat(app(Map.of("LATCHKEY_APP_PORT", "8181"), "--app-port", "8383").appServer.port)
        .isEqualTo(8383);
  }

  @Test
  void theApplicationServersHostHasAVariableOfItsOwn() {
    assertThat(app(Map.of()).host).isEqualTo("localhost");
    assertThat(app(Map.of("LATCHKEY_APP_HOST", "0.0.0.0")).host).isEqualTo("0.0.0.0");
    assertThat(app(Map.of("LATCHKEY_APP_HOST", "0.0.0.0"), "--host", "10.0.0.5").host)
        .isEqualTo("10.0.0.5");
  }

  @Test
  void blankVariablesAreIgnored() {
    assertThat(app(Map.of("LATCHKEY_APP_PORT", " ")).appServer.port).isEqualTo(8080);
  }

  @Test
  void onePortVariablePerServer() {
    Map<String, String> environment =
        Map.of("LATCHKEY_AUTH_PORT", "9100", "LATCHKEY_APP_PORT", "8100");
    assertThat(parse(new ServeCommand(), environment).port).isEqualTo(9100);
    assertThat(app(environment).appServer.port).isEqualTo(8100);
    DemoCommand demo = parse(new DemoCommand(), environment);
    assertThat(demo.appServer.port).isEqualTo(8100);
    assertThat(demo.authPort).isEqualTo(9100);
    assertThat(warnings).isEmpty();
  }

  @Test
  void theOldPortVariableKeepsItsOldMeaningWithAWarning() {
    Map<String, String> old = Map.of("LATCHKEY_PORT", "7000");
    assertThat(parse(new ServeCommand(), old).port).isEqualTo(7000);
    assertThat(warnings)
        .containsExactly(
            "latchkey: warning: LATCHKEY_PORT is deprecated here; set LATCHKEY_AUTH_PORT instead.");

    warnings.clear();
    assertThat(app(old).appServer.port).isEqualTo(7000);
    assertThat(warnings).singleElement().asString().contains("set LATCHKEY_APP_PORT instead");

    warnings.clear();
    DemoCommand demo = parse(new DemoCommand(), old);
    assertThat(demo.appServer.port).isEqualTo(7000);
    assertThat(demo.authPort).as("the demo's auth port never read LATCHKEY_PORT").isEqualTo(9000);
    assertThat(warnings).singleElement().asString().contains("LATCHKEY_APP_PORT");
  }

  @Test
  void theNewVariableWinsOverTheOldOneSilently() {
    AppCommand command = app(Map.of("LATCHKEY_PORT", "7000", "LATCHKEY_APP_PORT", "8100"));
    assertThat(command.appServer.port).isEqualTo(8100);
    assertThat(warnings).isEmpty();
  }

  @Test
  void theWarningIsGivenOnce() {
    EnvironmentDefaults defaults =
        new EnvironmentDefaults(Map.of("LATCHKEY_PORT", "7000"), warnings::add);
    CommandLine.Model.OptionSpec port =
        new CommandLine(new AppCommand()).getCommandSpec().findOption("--port");
    assertThat(defaults.defaultValue(port)).isEqualTo("7000");
    assertThat(defaults.defaultValue(port)).isEqualTo("7000");
    assertThat(warnings).hasSize(1);
  }
}
