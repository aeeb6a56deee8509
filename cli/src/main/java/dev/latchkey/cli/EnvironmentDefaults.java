package dev.latchkey.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every long option {@code --some-flag} takes its default from the environment variable {@code
 * LATCHKEY_SOME_FLAG} when that is set, and otherwise from the option's own default. Repeatable
 * options take a comma-separated list.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

  private final Map<String, String> environment;

  EnvironmentDefaults() {
    this(System.getenv());
  }

  EnvironmentDefaults(Map<String, String> environment) {
    this.environment = environment;
  }

  static String variableFor(OptionSpec option) {
    String name = option.longestName().replaceFirst("^-+", "");
    return "LATCHKEY_" + name.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
      return null;
    }
    String value = environment.get(variableFor(option));
    return value == null || value.isBlank() ? null : value;
  }
}
