package dev.latchkey.server.revocation;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The numbered log of revocations that verifiers follow through the feed ({@code GET
 * /api/revocations}). Each revoked session or signing key gets the next number of a database
 * sequence (the {@code revocations.seq} identity column) and the time until which it matters: the
 * {@code exp} of the last token it can have produced.
 *
 * <ul>
 *   <li>Numbers are taken while holding the {@code revocations} lock row, in the transaction that
 *       revokes: they become visible in order, so a reader that has seen number n has seen every
 *       number below it. No instance clock orders the log.
 *   <li>An entry is kept until its time plus the clock skew has passed; the newest entry is always
 *       kept, so the sequence head survives a purge. A reader whose cursor is below the oldest kept
 *       entry (or unknown) gets a snapshot: every entry still mattering. Nothing that matters is
 *       ever skipped.
 * </ul>
 */
public final class RevocationLog {
  /** What was revoked. */
  public enum Kind {
    SESSION("session"),
    KEY("key");

    private final String column;

    Kind(String column) {
      this.column = column;
    }
  }

  /** One entry. */
  public record Entry(long seq, Kind kind, String id, Instant revokedAt, Instant mattersUntil) {}

  /**
   * One read of the log: the entries listed, the cursor to ask after next, and whether it is a
   * snapshot (every entry still mattering).
   */
  public record Page(List<Entry> entries, long cursor, boolean snapshot) {}

  private final Database db;
  private final Duration clockSkew;
  private final Clock clock;

  public RevocationLog(Database db, Duration clockSkew, Clock clock) {
    this.db = db;
    this.clockSkew = clockSkew;
    this.clock = clock;
  }

  /**
   * Records a revoked session in the caller's transaction (which then holds the log's lock until it
   * commits).
   *
   * @param mattersUntil the {@code exp} of the last token the session can have produced
   */
  public void recordSession(Connection c, String sid, Instant revokedAt, Instant mattersUntil)
      throws SQLException {
    append(c, Kind.SESSION, sid, revokedAt, mattersUntil);
  }

  /**
   * Records a revoked signing key in the caller's transaction (which then holds the log's lock
   * until it commits).
   *
   * @param mattersUntil the {@code exp} of the last token the key can have signed
   */
  public void recordKey(Connection c, String kid, Instant revokedAt, Instant mattersUntil)
      throws SQLException {
    append(c, Kind.KEY, kid, revokedAt, mattersUntil);
  }

  private static void append(
      Connection c, Kind kind, String id, Instant revokedAt, Instant mattersUntil)
      throws SQLException {
    Sql.one(c, "SELECT name FROM latchkey_locks WHERE name = 'revocations' FOR UPDATE", rs -> true);
    Sql.update(
        c,
        "INSERT INTO revocations (kind, id, revoked_at, matters_until) VALUES (?, ?, ?, ?)",
        kind.column,
        id,
        revokedAt.toEpochMilli(),
        mattersUntil.toEpochMilli());
  }

  /**
   * The entries after {@code after} that still matter; a snapshot when {@code after} is negative
   * (no cursor), above the head (a log the reader does not know) or below the oldest kept entry.
   */
  public Page after(long after) {
    long relevantFrom = clock.millis() - clockSkew.toMillis();
    return db.inTransaction(
        c -> {
          long head =
              Sql.one(c, "SELECT MAX(seq) FROM revocations", rs -> rs.getLong(1)).orElse(0L);
          long oldest =
              Sql.one(c, "SELECT MIN(seq) FROM revocations", rs -> rs.getLong(1)).orElse(0L);
          boolean snapshot = after < 0 || after > head || (oldest > 0 && after < oldest - 1);
          List<Entry> entries =
              Sql.list(
                  c,
                  "SELECT seq, kind, id, revoked_at, matters_until FROM revocations"
                      + " WHERE seq > ? AND seq <= ? AND matters_until > ? ORDER BY seq",
                  rs ->
                      new Entry(
                          rs.getLong(1),
                          "key".equals(rs.getString(2)) ? Kind.KEY : Kind.SESSION,
                          rs.getString(3),
                          Instant.ofEpochMilli(rs.getLong(4)),
                          Instant.ofEpochMilli(rs.getLong(5))),
                  snapshot ? 0 : after,
                  head,
                  relevantFrom);
          return new Page(entries, head, snapshot);
        });
  }

  /**
   * The entries revoked at or after {@code since} by the revoking instance's clock (the feed's
   * deprecated {@code since} parameter), with the current head as cursor.
   */
  public Page since(Instant since) {
    Page all = after(-1);
    List<Entry> listed =
        all.entries().stream().filter(e -> !e.revokedAt().isBefore(since)).toList();
    return new Page(listed, all.cursor(), false);
  }

  /**
   * The number of the newest entry: every revocation ever recorded in this database, by any
   * instance or operator command (the newest entry survives purges), 0 before the first.
   */
  public long head() {
    return db.queryOne("SELECT MAX(seq) FROM revocations", rs -> rs.getLong(1)).orElse(0L);
  }

  /** Deletes entries that no longer matter (the newest is kept); returns how many. */
  public int purge() {
    return db.update(
        "DELETE FROM revocations WHERE matters_until < ?"
            + " AND seq < (SELECT MAX(seq) FROM revocations)",
        clock.millis() - clockSkew.toMillis());
  }
}
