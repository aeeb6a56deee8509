package dev.latchkey.server.throttle;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.RaceLost;
import dev.latchkey.server.store.Sql;
import dev.latchkey.server.users.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force throttling of logins, counted in the database so that every auth server instance
 * sharing it sees the same counters: one per account (the normalised email, known or not) and one
 * per client address. {@link #check} runs before any password hashing; a locked account or address
 * is refused with the time left. Every lock ends: the longest is {@link
 * ThrottleSettings#maxDelay()}.
 */
public final class LoginThrottle {
  private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
  private static final int ATTEMPTS = 4;

  private final Database db;
  private final ThrottleSettings settings;
  private final Clock clock;

  public LoginThrottle(Database db, ThrottleSettings settings, Clock clock) {
    this.db = db;
    this.settings = settings;
    this.clock = clock;
  }

  public ThrottleSettings settings() {
    return settings;
  }

  /**
   * How long this login must wait, if the account or the client address is locked now.
   *
   * @return empty when the attempt may go ahead (always when throttling is off)
   */
  public Optional<Duration> check(String email, String clientAddress) {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    long now = clock.millis();
    long until =
        db.queryOne(
                "SELECT MAX(locked_until) FROM login_throttle WHERE throttle_key IN (?, ?)",
                rs -> rs.getLong(1),
                accountKey(email),
                addressKey(clientAddress))
            .orElse(0L);
    return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
  }

  /** Counts a failed login against the account and the client address. */
  public void recordFailure(String email, String clientAddress) {
    if (!settings.enabled()) {
      return;
    }
    int account = fail(accountKey(email), settings.accountThreshold());
    int address = fail(addressKey(clientAddress), settings.ipThreshold());
    if (account == settings.accountThreshold() || address == settings.ipThreshold()) {
      log.warn(
          "Login throttling engaged ({} failures for an account, {} from one address)",
          account,
          address);
    }
  }

  /** A successful login clears the account's counter (never the address's). */
  public void recordSuccess(String email) {
    if (!settings.enabled()) {
      return;
    }
    db.update("DELETE FROM login_throttle WHERE throttle_key = ?", accountKey(email));
  }

  /** Deletes counters that have run out; returns how many. */
  public int purgeExpired() {
    return db.update("DELETE FROM login_throttle WHERE expires_at <= ?", clock.millis());
  }

  /** The lock after the {@code failures}-th failure: none below the threshold, then doubling. */
  Duration lockAfter(int failures, int threshold) {
    if (failures < threshold) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - threshold, 40);
    long millis = settings.baseDelay().toMillis();
    long max = settings.maxDelay().toMillis();
    for (int i = 0; i < doublings && millis < max; i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, max));
  }

  /** Adds a failure to one counter, row-locked; returns the count. */
  private int fail(String key, int threshold) {
    return db.inTransactionRetrying(
        ATTEMPTS,
        c -> failLocked(c, key, threshold),
        () -> new IllegalStateException("throttle counter kept racing"));
  }

  private record Counter(int failures, long lockedUntil, long expiresAt) {}

  private int failLocked(Connection c, String key, int threshold) throws SQLException {
    long now = clock.millis();
    Optional<Counter> stored =
        Sql.one(
            c,
            "SELECT failures, locked_until, expires_at FROM login_throttle"
                + " WHERE throttle_key = ? FOR UPDATE",
            rs -> new Counter(rs.getInt(1), rs.getLong(2), rs.getLong(3)),
            key);
    boolean fresh = stored.isEmpty() || stored.get().expiresAt() <= now;
    int count = fresh ? 1 : stored.get().failures() + 1;
    long lock = now + lockAfter(count, threshold).toMillis();
    long lockedUntil = Math.max(fresh ? 0 : stored.get().lockedUntil(), lock);
    long expiresAt = Math.max(now, lockedUntil) + settings.window().toMillis();
    if (stored.isEmpty()) {
      if (!Sql.insertUnlessTaken(
          c,
          "INSERT INTO login_throttle (throttle_key, failures, locked_until, expires_at)"
              + " VALUES (?, ?, ?, ?)",
          key,
          count,
          lockedUntil,
          expiresAt)) {
        throw new RaceLost(); // another instance inserted it first: roll back and count again
      }
    } else {
      Sql.update(
          c,
          "UPDATE login_throttle SET failures = ?, locked_until = ?, expires_at = ?"
              + " WHERE throttle_key = ?",
          count,
          lockedUntil,
          expiresAt,
          key);
    }
    return count;
  }

  static String accountKey(String email) {
    return "a:" + digest(EmailAddress.normalize(email == null ? "" : email));
  }

  static String addressKey(String clientAddress) {
    return "i:" + digest(String.valueOf(clientAddress));
  }

  private static String digest(String value) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
