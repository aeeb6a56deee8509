package dev.latchkey.server.throttle;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.RaceLost;
import dev.latchkey.server.store.Sql;
import dev.latchkey.server.throttle.ThrottlePolicy.Count;
import dev.latchkey.server.throttle.ThrottlePolicy.Counter;
import dev.latchkey.server.throttle.ThrottlePolicy.Decision;
import dev.latchkey.server.throttle.ThrottlePolicy.Place;
import dev.latchkey.server.throttle.ThrottlePolicy.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force throttling of logins, counted in the database so that every auth server instance
 * sharing it sees the same counters: one per account (the normalised email, known or not), one per
 * client address (IPv6 grouped by /64) and one per device cookie.
 *
 * <p>An attempt {@linkplain #reserve reserves} its place before any password hashing: in one
 * transaction, the counters it is judged by are row-locked ({@code SELECT ... FOR UPDATE}, so
 * instances sharing PostgreSQL queue on the same rows), {@link ThrottlePolicy} decides on what they
 * hold (refused with the time left when one is locked, else each counted as if the attempt had
 * failed, with the lock the count has earned), and its decision is written. So N concurrent wrong
 * attempts for one account get at most the threshold's worth of hashes; the rest are refused before
 * hashing. A success then {@linkplain #succeeded clears} the account's (or device's) counter and
 * gives back the address's place; an attempt that was never judged (the hashing pool was full) is
 * {@linkplain #release released}. Every lock ends: the longest is {@link
 * ThrottleSettings#maxDelay()}.
 *
 * <p>Which counters judge an attempt, and how, is {@link ThrottlePolicy}'s; their keys are {@link
 * ThrottleKeys}'.
 */
public final class LoginThrottle {
  private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
  private static final int ATTEMPTS = 4;

  private final Database db;
  private final ThrottleSettings settings;
  private final Clock clock;
  private final Audit audit;
  private final ThrottlePolicy policy;

  public LoginThrottle(Database db, ThrottleSettings settings, Clock clock, Audit audit) {
    this.db = db;
    this.settings = settings;
    this.policy = new ThrottlePolicy(settings);
    this.clock = clock;
    this.audit = audit;
  }

  public ThrottleSettings settings() {
    return settings;
  }

  /** The places an admitted attempt holds until it is judged. */
  public record Reservation(List<Place> places) {
    static final Reservation NONE = new Reservation(List.of());
  }

  /** The answer of {@link #reserve}: admitted with a reservation, or refused with a wait. */
  public sealed interface Admission {
    /** The attempt may be hashed; settle its reservation afterwards. */
    record Admitted(Reservation reservation) implements Admission {}

    /** A counter is locked: answer 429 with this wait, without hashing. */
    record Refused(Duration retryAfter) implements Admission {}
  }

  /**
   * Takes an attempt's place before its password is hashed.
   *
   * @param deviceId the id of a valid device cookie issued for this account, or null
   * @return {@link Admission.Refused} when a counter is locked now, else {@link Admission.Admitted}
   *     (always when throttling is off)
   */
  public Admission reserve(String email, String clientAddress, String deviceId) {
    if (!settings.enabled()) {
      return new Admission.Admitted(Reservation.NONE);
    }
    List<Counter> counters =
        policy.countersFor(
            new ThrottlePolicy.Attempt(
                ThrottleKeys.account(email),
                ThrottleKeys.address(clientAddress),
                deviceId == null ? null : ThrottleKeys.device(deviceId)));
    Decision decision = null;
    for (int attempt = 1; decision == null; attempt++) {
      try {
        decision = db.inTransaction(c -> decideLocked(c, counters));
      } catch (RaceLost e) { // a counter without its row (first use, or purged): insert, again
        if (attempt >= ATTEMPTS) {
          throw new IllegalStateException("throttle counter kept racing");
        }
        for (Counter counter : counters) {
          ensureRow(counter.key());
        }
      }
    }
    if (decision instanceof Decision.Refuse refuse) {
      return new Admission.Refused(refuse.retryAfter());
    }
    Decision.Admit admit = (Decision.Admit) decision;
    for (Count count : admit.counts()) {
      if (count.engaged()) {
        lockStarted(count.place(), email, clientAddress);
      }
    }
    return new Admission.Admitted(new Reservation(admit.places()));
  }

  /** A counter reached its threshold: the warning and the audit event name account and address. */
  private void lockStarted(Place place, String email, String clientAddress) {
    String what = ThrottleKeys.kind(place.counter().key());
    String account = TypedEmail.of(email);
    Duration lock = Duration.ofMillis(Math.max(0, place.lockedAfter() - clock.millis()));
    log.warn(
        "Login throttling engaged on the {} counter: {} failed attempts; account \"{}\", address {},"
            + " locked for {}",
        what,
        place.counter().threshold(),
        account,
        clientAddress,
        lock);
    audit.record(
        AuditEvent.LOCK_STARTED,
        "counter",
        what,
        "email",
        account,
        "client",
        clientAddress,
        "locked_for_seconds",
        lock.toSeconds());
  }

  /**
   * The password was right: clears the account's (or device's) counter and gives back the address's
   * place, so a success never counts against an address.
   */
  public void succeeded(Reservation reservation) {
    for (Place place : reservation.places()) {
      if (place.counter().clearedBySuccess()) {
        db.update("DELETE FROM login_throttle WHERE throttle_key = ?", place.counter().key());
      } else {
        giveBack(place);
      }
    }
  }

  /** The password was never judged (e.g. the hashing pool was full): gives every place back. */
  public void release(Reservation reservation) {
    reservation.places().forEach(this::giveBack);
  }

  /** A password was proven or reset: clears the account's counter. */
  public void recordSuccess(String email) {
    if (settings.enabled()) {
      unlockAccount(email, "password_changed");
    }
  }

  /**
   * Clears every counter of an account; true if one was counting. A lock it ends is an audit event.
   *
   * @param by who cleared it, for the audit log: {@code operator} ({@code latchkey users unlock}),
   *     {@code password_changed}
   */
  public boolean unlockAccount(String email, String by) {
    long now = clock.millis();
    String key = ThrottleKeys.account(email);
    Optional<Long> lockedUntil =
        db.inTransaction(
            c -> {
              Optional<Long> counting =
                  Sql.one(
                      c,
                      "SELECT locked_until FROM login_throttle"
                          + " WHERE throttle_key = ? AND expires_at > ?",
                      rs -> rs.getLong(1),
                      key,
                      now);
              Sql.update(c, "DELETE FROM login_throttle WHERE throttle_key = ?", key);
              return counting;
            });
    if (lockedUntil.isPresent() && lockedUntil.get() > now) {
      audit.record(AuditEvent.LOCK_CLEARED, "email", TypedEmail.of(email), "by", by);
    }
    return lockedUntil.isPresent();
  }

  /** Clears a device cookie's counter (after the account is unlocked by its owner). */
  public void unlockDevice(String deviceId) {
    db.update("DELETE FROM login_throttle WHERE throttle_key = ?", ThrottleKeys.device(deviceId));
  }

  /** Deletes counters that have run out; returns how many. */
  public int purgeExpired() {
    return db.update("DELETE FROM login_throttle WHERE expires_at <= ?", clock.millis());
  }

  /**
   * An empty counter row, so that every reservation finds one to lock. Inserted only when missing
   * (a failed insert is an error line in PostgreSQL's log); one lost to a concurrent insert is
   * fine.
   */
  private void ensureRow(String key) {
    db.inTransaction(
        c ->
            Sql.one(c, "SELECT 1 FROM login_throttle WHERE throttle_key = ?", rs -> true, key)
                    .isPresent()
                || Sql.insertUnlessTaken(
                    c,
                    "INSERT INTO login_throttle (throttle_key, failures, locked_until, expires_at)"
                        + " VALUES (?, 0, 0, ?)",
                    key,
                    clock.millis() + settings.window().toMillis()));
  }

  /**
   * Locks the counters' rows (in key order), then applies the policy's decision on what they hold
   * to them.
   */
  private Decision decideLocked(Connection c, List<Counter> counters) throws SQLException {
    List<Row> rows = new ArrayList<>(counters.size());
    for (Counter counter : counters) {
      rows.add(
          Sql.one(
                  c,
                  "SELECT failures, locked_until, expires_at FROM login_throttle"
                      + " WHERE throttle_key = ? FOR UPDATE",
                  rs -> new Row(rs.getInt(1), rs.getLong(2), rs.getLong(3)),
                  counter.key())
              .orElseThrow(RaceLost::new)); // no row yet, or purged: inserted, then counted again
    }
    // Read once the rows are ours: a time read before waiting for another attempt's row lock would
    // be older than what that attempt wrote.
    Decision decision = policy.decide(counters, rows, clock.millis());
    if (decision instanceof Decision.Admit admit) {
      for (Count count : admit.counts()) {
        Row row = count.written();
        Sql.update(
            c,
            "UPDATE login_throttle SET failures = ?, locked_until = ?, expires_at = ?"
                + " WHERE throttle_key = ?",
            row.failures(),
            row.lockedUntil(),
            row.expiresAt(),
            count.place().counter().key());
      }
    }
    return decision;
  }

  /**
   * Gives one place back: one failure fewer, and the lock as it was before this place was taken
   * unless another attempt has set a lock since.
   */
  private void giveBack(Place place) {
    db.update(
        "UPDATE login_throttle SET failures = failures - 1,"
            + " locked_until = CASE WHEN locked_until = ? THEN ? ELSE locked_until END"
            + " WHERE throttle_key = ? AND failures > 0",
        place.lockedAfter(),
        place.lockedBefore(),
        place.counter().key());
  }

  // The key derivation lives in ThrottleKeys; these two stay for AddressGroupTest.
  static String addressKey(String clientAddress) {
    return ThrottleKeys.address(clientAddress);
  }

  static String addressGroup(String clientAddress) {
    return ThrottleKeys.addressGroup(clientAddress);
  }
}
