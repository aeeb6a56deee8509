package dev.latchkey.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * docs/cli.md, written from picocli's model of the {@code latchkey} command: every command and
 * subcommand, its parameters and options, their defaults and the {@code LATCHKEY_*} variable each
 * reads ({@link EnvironmentDefaults}). Nothing in it is typed by hand but the introduction below.
 */
final class CliReference {
  static final String REGENERATE =
      "mvn -pl cli -am -Dskip.npm test-compile surefire:test -Dtest=CliReferenceTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dlatchkey.docs.update=true";

  private static final String INTRODUCTION =
      """
      # Command line reference

      <!-- Generated from the commands' picocli model by cli/src/test/java/dev/latchkey/cli/\
      CliReference.java; do not edit by hand. CliReferenceTest fails when this file differs from \
      the commands. Regenerate it with:
           %s -->

      `latchkey` is one executable jar (`cli/target/latchkey.jar`, run as `java -jar latchkey.jar`
      or through the `latchkey` script at the top of the checkout). Every command answers `--help`.

      **Environment variables.** Every long option `--some-flag` of the servers (`demo`, `serve`,
      `app`) and every store option (`--db-url`, `--data-dir`...) also reads the environment
      variable `LATCHKEY_SOME_FLAG` when the flag is not given; a flag on the command line wins.
      Repeatable options take a comma-separated list. An option with several long names reads the
      variable of its longest name (`serve --port, --auth-port` reads `LATCHKEY_AUTH_PORT`); the
      variable of a shorter name still works, with a warning. `LATCHKEY_DB_PASSWORD` holds the
      database password (never a flag). The flags of the operator commands that change something
      (`keys policy --algorithm`, `users add --role`, `keys rotate --now`...) are read from their
      own command line only: variables exported for `serve` never change the stored policy or a
      user. The column *environment* below names the variable of each option, or `-` for none.

      **Durations** are written `500ms`, `30s`, `15m`, `2h` or `7d`.

      **Exit codes:** `0` done, `1` the command failed (one line on standard error saying why and
      what to do), `2` a flag or value it cannot read (one line pointing at `--help`).

      ## Commands

      """;

  private CliReference() {}

  /** The whole page. */
  static String render() {
    CommandLine root =
        Latchkey.commandLine().setDefaultValueProvider(new EnvironmentDefaults(Map.of()));
    List<CommandSpec> commands = new ArrayList<>();
    collect(root.getCommandSpec(), commands);
    StringBuilder page = new StringBuilder(INTRODUCTION.formatted(REGENERATE));
    for (CommandSpec command : commands) {
      page.append("- [`")
          .append(command.qualifiedName())
          .append("`](#")
          .append(command.qualifiedName().replace(' ', '-'))
          .append("): ")
          .append(cell(firstLine(command)))
          .append('\n');
    }
    for (CommandSpec command : commands) {
      page.append('\n');
      section(command, page);
    }
    return page.toString();
  }

  private static void collect(CommandSpec command, List<CommandSpec> into) {
    into.add(command);
    for (CommandLine sub : command.subcommands().values()) {
      // the map lists a command's aliases too; a hidden command is not an operator's
      if (!into.contains(sub.getCommandSpec()) && !sub.getCommandSpec().usageMessage().hidden()) {
        collect(sub.getCommandSpec(), into);
      }
    }
  }

  private static void section(CommandSpec command, StringBuilder page) {
    page.append("## ").append(command.qualifiedName()).append("\n\n");
    page.append("```\n").append(synopsis(command)).append("\n```\n\n");
    for (String line : command.usageMessage().description()) {
      page.append(cell(line)).append("\n\n");
    }
    if (!command.subcommands().isEmpty()) {
      page.append("Commands: ");
      page.append(
          String.join(
              ", ",
              command.subcommands().values().stream()
                  .map(c -> c.getCommandSpec())
                  .filter(c -> !c.usageMessage().hidden())
                  .distinct()
                  .map(c -> "[`" + c.name() + "`](#" + c.qualifiedName().replace(' ', '-') + ")")
                  .toList()));
      page.append(".\n\n");
    }
    List<PositionalParamSpec> parameters =
        command.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (!parameters.isEmpty()) {
      page.append("| parameter | description |\n| --- | --- |\n");
      for (PositionalParamSpec parameter : parameters) {
        page.append("| `")
            .append(parameter.paramLabel())
            .append("` | ")
            .append(cell(String.join(" ", parameter.renderedDescription())))
            .append(" |\n");
      }
      page.append('\n');
    }
    List<OptionSpec> options = command.options().stream().filter(o -> !o.hidden()).toList();
    if (!options.isEmpty()) {
      page.append("| option | default | environment | description |\n");
      page.append("| --- | --- | --- | --- |\n");
      for (OptionSpec option : options) {
        page.append("| ")
            .append(names(option))
            .append(" | ")
            .append(option.defaultValue() == null ? "-" : "`" + option.defaultValue() + "`")
            .append(" | ")
            .append(environment(option))
            .append(" | ")
            .append(cell(String.join(" ", option.renderedDescription())))
            .append(" |\n");
      }
    }
  }

  private static String synopsis(CommandSpec command) {
    StringBuilder line = new StringBuilder(command.qualifiedName());
    if (!command.options().isEmpty()) {
      line.append(" [OPTIONS]");
    }
    for (PositionalParamSpec parameter : command.positionalParameters()) {
      line.append(' ').append(parameter.paramLabel());
    }
    if (!command.subcommands().isEmpty()) {
      line.append(" COMMAND");
    }
    return line.toString();
  }

  private static String names(OptionSpec option) {
    String label = option.typeInfo().isBoolean() ? "" : " " + option.paramLabel();
    if (option.negatable()) {
      label = "";
    }
    List<String> names = new ArrayList<>();
    for (String name : option.names()) {
      names.add("`" + name + label + "`");
    }
    if (option.negatable()) {
      names.add("`" + option.longestName().replaceFirst("^--", "--no-") + "`");
    }
    return String.join(", ", names);
  }

  private static String environment(OptionSpec option) {
    if (!EnvironmentDefaults.readsEnvironment(option)) {
      return "-";
    }
    String variable = "`" + EnvironmentDefaults.variableFor(option) + "`";
    List<String> former = EnvironmentDefaults.formerVariablesFor(option);
    return former.isEmpty()
        ? variable
        : variable + " (formerly `" + String.join("`, `", former) + "`)";
  }

  private static String firstLine(CommandSpec command) {
    String[] description = command.usageMessage().description();
    return description.length == 0 ? "" : description[0];
  }

  /** Text in a table cell: no line breaks, no column separator, no HTML. */
  private static String cell(String text) {
    return text.replace("%n", " ")
        .replace("\n", " ")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .strip();
  }
}
