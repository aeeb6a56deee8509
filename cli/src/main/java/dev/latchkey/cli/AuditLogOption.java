package dev.latchkey.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --audit-log}: where the audit events go, shared by the commands that change users, keys or
 * sessions, so that an operator command writes to the same file as the server.
 */
final class AuditLogOption {

  @Option(
      names = "--audit-log",
      paramLabel = "PATH",
      description =
          "Appends audit events, one JSON object a line, to this file (LATCHKEY_AUDIT_LOG)."
              + " Default: beside the logs: standard output for servers, standard error for"
              + " operator commands.")
  Path path;
}
