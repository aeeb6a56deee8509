package dev.latchkey.cli;

import picocli.CommandLine.Option;

/** {@code --log-format}, shared by the commands that run servers. */
final class LogFormatOption {

  @Option(
      names = "--log-format",
      defaultValue = "text",
      converter = LogFormat.Converter.class,
      description =
          "Log lines as text (ISO-8601 time with zone) or json, one object a line, for log"
              + " shippers (LATCHKEY_LOG_FORMAT). Default: ${DEFAULT-VALUE}.")
  LogFormat format;
}
