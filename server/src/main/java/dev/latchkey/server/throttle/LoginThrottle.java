package dev.latchkey.server.throttle;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.RaceLost;
import dev.latchkey.server.store.Sql;
import dev.latchkey.server.users.EmailAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
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
 * instances sharing PostgreSQL queue on the same rows), refused with the time left when one is
 * locked, else each is counted as if the attempt had failed, setting the lock the count has earned.
 * So N concurrent wrong attempts for one account get at most the threshold's worth of hashes; the
 * rest are refused before hashing. A success then {@linkplain #succeeded clears} the account's (or
 * device's) counter and gives back the address's place; an attempt that was never judged (the
 * hashing pool was full) is {@linkplain #release released}. Every lock ends: the longest is {@link
 * ThrottleSettings#maxDelay()}.
 *
 * <p>With a valid device cookie for the account ({@code deviceId} non-null), the attempt is counted
 * against that device, with its own smaller threshold, instead of the account: an attacker
 * elsewhere cannot lock the owner's browser out (OWASP "device cookies").
 */
public final class LoginThrottle {
  private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
  private static final int ATTEMPTS = 4;

  private final Database db;
  private final ThrottleSettings settings;
  private final Clock clock;
  private final Audit audit;

  public LoginThrottle(Database db, ThrottleSettings settings, Clock clock, Audit audit) {
    this.db = db;
    this.settings = settings;
    this.clock = clock;
    this.audit = audit;
  }

  public ThrottleSettings settings() {
    return settings;
  }

  /** One counter an attempt is judged by: its key, threshold and whether a success clears it. */
  record Counter(String key, int threshold, boolean clearedBySuccess) {}

  /** One counted place: the lock before it was taken and the lock it set. */
  record Place(Counter counter, long lockedBefore, long lockedAfter) {}

  /** The places an admitted attempt holds until it is judged. */
  public record Reservation(List<Place> places) {
    static final Reservation NONE = new Reservation(List.of());
  }

  /**
   * What the reserving transaction found: a wait, or the places it took and the counters whose
   * threshold this attempt reached.
   */
  private record Taken(Optional<Duration> lockedFor, List<Place> places, List<Place> engaged) {}

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
    List<Counter> counters = new ArrayList<>(2);
    if (deviceId != null) {
      counters.add(new Counter(deviceKey(deviceId), settings.deviceThreshold(), true));
    } else {
      counters.add(new Counter(accountKey(email), settings.accountThreshold(), true));
    }
    counters.add(new Counter(addressKey(clientAddress), settings.ipThreshold(), false));
    counters.sort(Comparator.comparing(Counter::key)); // one lock order: no deadlock
    Taken taken = null;
    for (int attempt = 1; taken == null; attempt++) {
      try {
        taken = db.inTransaction(c -> reserveLocked(c, counters));
      } catch (RaceLost e) { // a counter without its row (first use, or purged): insert, again
        if (attempt >= ATTEMPTS) {
          throw new IllegalStateException("throttle counter kept racing");
        }
        for (Counter counter : counters) {
          ensureRow(counter.key());
        }
      }
    }
    taken.engaged().forEach(place -> lockStarted(place, email, clientAddress));
    if (taken.lockedFor().isPresent()) {
      return new Admission.Refused(taken.lockedFor().get());
    }
    return new Admission.Admitted(new Reservation(taken.places()));
  }

  /** A counter reached its threshold: the warning and the audit event name account and address. */
  private void lockStarted(Place place, String email, String clientAddress) {
    String counted = place.counter().key().substring(0, 1);
    String what =
        switch (counted) {
          case "i" -> "address";
          case "d" -> "device";
          default -> "account";
        };
    String account = typed(email);
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

  /** The email as typed, bounded (it comes from the request): for logs and audit lines. */
  public static String typed(String email) {
    if (email == null) {
      return "";
    }
    return email.length() > EmailAddress.MAX_LENGTH
        ? email.substring(0, EmailAddress.MAX_LENGTH) + "..."
        : email;
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
    String key = accountKey(email);
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
      audit.record(AuditEvent.LOCK_CLEARED, "email", typed(email), "by", by);
    }
    return lockedUntil.isPresent();
  }

  /** Clears a device cookie's counter (after the account is unlocked by its owner). */
  public void unlockDevice(String deviceId) {
    db.update("DELETE FROM login_throttle WHERE throttle_key = ?", deviceKey(deviceId));
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

  private record Row(int failures, long lockedUntil, long expiresAt) {}

  private Taken reserveLocked(Connection c, List<Counter> counters) throws SQLException {
    List<Row> locked = new ArrayList<>(counters.size());
    for (Counter counter : counters) {
      locked.add(
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
    long now = clock.millis();
    List<Row> rows = new ArrayList<>(counters.size());
    long lockedUntil = 0;
    for (Row row : locked) {
      boolean fresh = row.expiresAt() <= now;
      if (!fresh) {
        lockedUntil = Math.max(lockedUntil, row.lockedUntil());
      }
      rows.add(fresh ? new Row(0, 0, 0) : row);
    }
    if (lockedUntil > now) {
      return new Taken(Optional.of(Duration.ofMillis(lockedUntil - now)), List.of(), List.of());
    }
    List<Place> places = new ArrayList<>(counters.size());
    List<Place> engaged = new ArrayList<>(1);
    for (int i = 0; i < counters.size(); i++) {
      Counter counter = counters.get(i);
      int count = rows.get(i).failures() + 1;
      Duration earned = lockAfter(count, counter.threshold());
      // Below the threshold nothing is written as a lock: a place taken by an attempt that may well
      // succeed must never read as a lock to the attempts beside it.
      long until =
          earned.isZero()
              ? rows.get(i).lockedUntil()
              : Math.max(rows.get(i).lockedUntil(), now + earned.toMillis());
      long expiresAt = Math.max(now, until) + settings.window().toMillis();
      Sql.update(
          c,
          "UPDATE login_throttle SET failures = ?, locked_until = ?, expires_at = ?"
              + " WHERE throttle_key = ?",
          count,
          until,
          expiresAt,
          counter.key());
      Place place = new Place(counter, rows.get(i).lockedUntil(), until);
      places.add(place);
      if (count == counter.threshold()) {
        engaged.add(place);
      }
    }
    return new Taken(Optional.empty(), List.copyOf(places), List.copyOf(engaged));
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

  static String accountKey(String email) {
    return "a:" + digest(EmailAddress.normalize(email == null ? "" : email));
  }

  /** IPv6 addresses are counted per /64 (what one subscriber usually holds), IPv4 per address. */
  static String addressKey(String clientAddress) {
    return "i:" + digest(addressGroup(clientAddress));
  }

  static String addressGroup(String clientAddress) {
    Optional<InetAddress> ip = ClientAddress.literal(clientAddress);
    if (ip.isPresent() && ip.get() instanceof Inet6Address v6) {
      byte[] a = v6.getAddress();
      Arrays.fill(a, 8, 16, (byte) 0);
      try {
        return InetAddress.getByAddress(a).getHostAddress() + "/64";
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // 16 bytes are always an address
      }
    }
    return ip.map(InetAddress::getHostAddress).orElse(String.valueOf(clientAddress));
  }

  static String deviceKey(String deviceId) {
    return "d:" + digest(deviceId);
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
