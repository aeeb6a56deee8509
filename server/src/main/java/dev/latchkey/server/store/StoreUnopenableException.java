package dev.latchkey.server.store;

import java.sql.SQLException;

/**
 * The database cannot be opened or migrated at start: the message is one line for an operator
 * (where, and the innermost reason's first line), never a driver's multi-line dump; the cause keeps
 * the details for the log.
 */
public final class StoreUnopenableException extends IllegalStateException {

  public StoreUnopenableException(String where, Throwable cause) {
    super("cannot open the database at " + where + ": " + reason(cause), cause);
  }

  /** The innermost SQL error's message (else the innermost message), first line, trimmed. */
  static String reason(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        if (t instanceof SQLException || message == null) {
          message = t.getMessage();
        }
      }
    }
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    String first = message.strip().lines().findFirst().orElse("").strip();
    // H2 appends "[90020-224]"-style codes and a long SQL state; keep the words
    first = first.replaceAll("\\s*\\[\\d+-\\d+]$", "");
    return first.length() > 300 ? first.substring(0, 300) + "…" : first;
  }
}
