package dev.latchkey.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code latchkey} command. */
@Command(
    name = "latchkey",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "JWT session authentication for single-page applications with a Java back end.")
public final class Latchkey implements Runnable {
  /** The subcommands, in the order the help lists them. */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
          DemoCommand.class,
          ServeCommand.class,
          AppCommand.class,
          UsersCommand.class,
          ClientsCommand.class,
          KeysCommand.class,
          TokenCommand.class,
          SessionsCommand.class,
          ClassArchiveTrainingCommand.class, // hidden: the launcher's, not an operator's
          CommandLine.HelpCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  /**
   * The command to run {@code args} with: only the subcommand the first argument names, when it
   * names one other than {@code help} (picocli reads every option of every subcommand it is given
   * by reflection, most of its share of a server's start-up). Otherwise (no argument, an option, a
   * typo, {@code help}) every subcommand, for the help and the error messages.
   */
  static CommandLine commandLine(String... args) {
    String first = args.length == 0 ? null : args[0];
    CommandLine commandLine = new CommandLine(new Latchkey());
    List<Class<?>> named =
        SUBCOMMANDS.stream().filter(c -> !"help".equals(first) && nameOf(c).equals(first)).toList();
    for (Class<?> subcommand : named.isEmpty() ? SUBCOMMANDS : named) {
      commandLine.addSubcommand(nameOf(subcommand), subcommand);
    }
    // set after the subcommands are added: picocli applies these to the ones present
    return commandLine
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
            commandLine.getCommandSpec().qualifiedName()
                + ": "
                + e.getMessage()
                + " (see: "
                + commandLine.getCommandSpec().qualifiedName()
                + " --help)");
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * An operator sees what went wrong in one sentence naming the command, not a stack trace nor an
   * exception's class name: a failure without a message is a bug of ours, and says so.
   */
  private static int explain(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String message =
        e.getMessage() == null || e.getMessage().isBlank()
            ? "stopped by an unexpected internal error (a bug: please report it with the command"
                + " line and the output of latchkey --version)"
            : e.getMessage();
    commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
    return 1;
  }

  private static String nameOf(Class<?> subcommand) {
    return subcommand.getAnnotation(Command.class).name();
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
