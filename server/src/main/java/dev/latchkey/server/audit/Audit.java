package dev.latchkey.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit events: one JSON object a line on the logger {@value #LOGGER}, which Logback routes to
 * standard output or to the audit file ({@code --audit-log}). Each line has {@code time} (ISO-8601,
 * UTC), {@code event} (an {@link AuditEvent}'s wire name) and the event's fields.
 *
 * <p>Callers pass identifiers only (user ids, a typed email as {@code TypedEmail.of} names it,
 * client addresses, key ids, session ids, counts, reasons): never a password, a token or key
 * material.
 */
public final class Audit {
  /** The logger the events are written to. */
  public static final String LOGGER = "latchkey.audit";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;

  public Audit(Clock clock) {
    this.clock = clock;
  }

  /**
   * Writes one event.
   *
   * @param fields names and values in turn: {@code "user_id", id, "client", address}; a null value
   *     is written as JSON null
   */
  public void record(AuditEvent event, Object... fields) {
    if (fields.length % 2 != 0) {
      throw new IllegalArgumentException("audit fields come in name, value pairs");
    }
    if (!log.isInfoEnabled()) {
      return;
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("time", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
    line.put("event", event.wireName());
    for (int i = 0; i < fields.length; i += 2) {
      line.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
    }
    try {
      log.info(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit line could not be written", e);
    }
  }
}
