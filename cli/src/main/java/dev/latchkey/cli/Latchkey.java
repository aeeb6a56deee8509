package dev.latchkey.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code latchkey} command. */
@Command(
    name = "latchkey",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "JWT session authentication for single-page applications with a Java back end.",
    subcommands = {
      DemoCommand.class,
      ServeCommand.class,
      AppCommand.class,
      UsersCommand.class,
      KeysCommand.class,
      TokenCommand.class,
      SessionsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Latchkey implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Latchkey())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setDefaultValueProvider(new EnvironmentDefaults())
        .setParameterExceptionHandler(Latchkey::refuse)
        .setExecutionExceptionHandler(Latchkey::explain);
  }

  /** A flag or value picocli cannot read: one line, pointing at the help, exit code 2. */
  private static int refuse(CommandLine.ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    commandLine
        .getErr()
        .println(
            "latchkey "
                + commandLine.getCommandName()
                + ": "
                + e.getMessage()
                + " (see: "
                + commandLine.getCommandSpec().qualifiedName()
                + " --help)");
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** An operator sees what went wrong in one line, not a stack trace. */
  private static int explain(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    commandLine.getErr().println("latchkey " + commandLine.getCommandName() + ": " + message);
    return 1;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
