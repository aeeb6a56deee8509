package dev.latchkey.server.accounts;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.RaceLost;
import dev.latchkey.server.store.Sql;
import dev.latchkey.verifier.wire.Digests;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Fixed-window counters of account mails, in the database so that every instance sees them: a mail
 * is sent only when each of its keys (the address asked for, the account) is under the limit. Over
 * the limit the caller answers as usual and sends nothing.
 */
final class AccountMailThrottle {
  private static final int ATTEMPTS = 4;

  private final Database db;
  private final int limit;
  private final Duration window;
  private final Clock clock;

  AccountMailThrottle(Database db, int limit, Duration window, Clock clock) {
    this.db = db;
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** Counts one mail against every key; true when none of them was over the limit. */
  boolean allow(String... keys) {
    boolean allowed = true;
    for (String key : keys) {
      allowed &= count(Digests.sha256Base64Url(key)).isEmpty();
    }
    return allowed;
  }

  /** Counts one against the key: empty when under the limit, else how long until it resets. */
  Optional<Duration> admit(String key) {
    return count(Digests.sha256Base64Url(key));
  }

  private record Window(long start, int sent) {}

  private Optional<Duration> count(String key) {
    return db.inTransactionRetrying(
        ATTEMPTS,
        c -> {
          long now = clock.millis();
          Optional<Window> stored =
              Sql.one(
                  c,
                  "SELECT window_start, sent FROM account_mail_throttle WHERE throttle_key = ?"
                      + " FOR UPDATE",
                  rs -> new Window(rs.getLong(1), rs.getInt(2)),
                  key);
          if (stored.isEmpty()) {
            if (!Sql.insertUnlessTaken(
                c,
                "INSERT INTO account_mail_throttle (throttle_key, window_start, sent)"
                    + " VALUES (?, ?, 1)",
                key,
                now)) {
              throw new RaceLost();
            }
            return Optional.empty();
          }
          Window w = stored.get();
          if (w.start() + window.toMillis() <= now) {
            Sql.update(
                c,
                "UPDATE account_mail_throttle SET window_start = ?, sent = 1 WHERE throttle_key = ?",
                now,
                key);
            return Optional.empty();
          }
          if (w.sent() >= limit) {
            return Optional.of(Duration.ofMillis(w.start() + window.toMillis() - now));
          }
          Sql.update(
              c, "UPDATE account_mail_throttle SET sent = sent + 1 WHERE throttle_key = ?", key);
          return Optional.empty();
        },
        () -> new IllegalStateException("account mail counter kept racing"));
  }

  /**
   * Forgets windows older than {@code longest} (the longest window any counter of the table uses).
   */
  int purgeOlderThan(Duration longest) {
    return db.update(
        "DELETE FROM account_mail_throttle WHERE window_start < ?",
        clock.millis() - longest.toMillis());
  }
}
