package dev.latchkey.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every long option {@code --some-flag} takes its default from the environment variable {@code
 * LATCHKEY_SOME_FLAG} when that is set, and otherwise from the option's own default. Repeatable
 * options take a comma-separated list.
 *
 * <p>One variable has one meaning. An option with several long names reads the variable of its
 * longest name: {@code serve --port, --auth-port} reads {@code LATCHKEY_AUTH_PORT}, {@code app} and
 * {@code demo}'s {@code --port, --app-port} read {@code LATCHKEY_APP_PORT}. The variables of its
 * shorter names (here the old {@code LATCHKEY_PORT}) still work when the new one is not set, with a
 * one-line warning naming the new variable.
 *
 * <p>The environment holds settings, not orders: the flags of operator commands that change
 * something (those of {@link StoreCommand}s: {@code keys policy --algorithm}, {@code users add
 * --role}, {@code keys rotate --now}...) are read from their own command line only, so that {@code
 * LATCHKEY_ALGORITHM} exported for {@code serve} never changes the stored policy when an operator
 * runs {@code keys policy} to look at it. Their store options ({@code --db-url}, {@code
 * --data-dir}...) read the environment as {@code serve}'s do. Neither {@code --help} nor {@code
 * --version} reads it.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

  private final Map<String, String> environment;
  private final Consumer<String> warnings;
  private final Set<String> warned = new HashSet<>();

  EnvironmentDefaults() {
    this(System.getenv(), System.err::println);
  }

  EnvironmentDefaults(Map<String, String> environment) {
    this(environment, System.err::println);
  }

  EnvironmentDefaults(Map<String, String> environment, Consumer<String> warnings) {
    this.environment = environment;
    this.warnings = warnings;
  }

  /** Whether the environment may supply this option's value. */
  static boolean readsEnvironment(OptionSpec option) {
    return option.longestName().startsWith("--")
        && !option.usageHelp()
        && !option.versionHelp()
        && !(option.userObject() instanceof Field field
            && StoreCommand.class.isAssignableFrom(field.getDeclaringClass()));
  }

  /** The variable an option reads: the one of its longest name. */
  static String variableFor(OptionSpec option) {
    return variableFor(option.longestName());
  }

  private static String variableFor(String longName) {
    String name = longName.replaceFirst("^-+", "");
    return "LATCHKEY_" + name.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The older variables an option still reads, with a warning: those of its shorter names. */
  static List<String> formerVariablesFor(OptionSpec option) {
    List<String> former = new ArrayList<>();
    for (String name : option.names()) {
      if (name.startsWith("--") && !name.equals(option.longestName())) {
        former.add(variableFor(name));
      }
    }
    return former;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || !readsEnvironment(option)) {
      return null;
    }
    String variable = variableFor(option);
    String value = valueOf(variable);
    if (value != null) {
      return value;
    }
    for (String former : formerVariablesFor(option)) {
      String formerValue = valueOf(former);
      if (formerValue != null) {
        warnOnce(former, variable);
        return formerValue;
      }
    }
    return null;
  }

  private String valueOf(String variable) {
    String value = environment.get(variable);
    return value == null || value.isBlank() ? null : value;
  }

  private void warnOnce(String former, String variable) {
    if (warned.add(former + "->" + variable)) {
      warnings.accept(
          "latchkey: warning: " + former + " is deprecated here; set " + variable + " instead.");
    }
  }
}
