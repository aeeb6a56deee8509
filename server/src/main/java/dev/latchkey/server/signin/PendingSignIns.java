package dev.latchkey.server.signin;

import dev.latchkey.server.mfa.SecondFactorMethod;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Pending sign-ins in the database, so that any instance can finish one: keyed by the SHA-256 of
 * the opaque token, bound to the browser by the SHA-256 of a cookie value, live for {@link
 * #LIFETIME}, ended by the first success (one conditional update) or by the {@link
 * #MAX_FAILED_CODES}th wrong code.
 */
public final class PendingSignIns {
  /** How long a pending sign-in waits for its second step. */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  /** Wrong codes after which a pending sign-in ends (the password must be typed again). */
  public static final int MAX_FAILED_CODES = 5;

  private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final Clock clock;

  public PendingSignIns(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A live pending sign-in, as the second step finds it. */
  public record Waiting(String tokenHash, String userId, List<SecondFactorMethod> methods) {}

  /** Starts a pending sign-in for a user whose password was right. */
  public PendingSignIn start(String userId, List<SecondFactorMethod> methods) {
    String token = randomToken();
    String binding = randomToken();
    long now = clock.millis();
    long expires = now + LIFETIME.toMillis();
    db.update(
        "INSERT INTO pending_sign_ins (token_hash, user_id, binding_hash, methods, created_at,"
            + " expires_at, failed_codes) VALUES (?, ?, ?, ?, ?, ?, 0)",
        hash(token),
        userId,
        hash(binding),
        String.join(" ", methods.stream().map(SecondFactorMethod::wireName).toList()),
        now,
        expires);
    return new PendingSignIn(token, binding, List.copyOf(methods), Instant.ofEpochMilli(expires));
  }

  /**
   * The pending sign-in of {@code token}, when it is live (not expired, not completed, not ended by
   * wrong codes) and {@code binding} is the cookie of the browser that started it.
   */
  public Optional<Waiting> find(String token, String binding) {
    if (token == null || binding == null || !TOKEN_SHAPE.matcher(token).matches()) {
      return Optional.empty();
    }
    String bindingHash = hash(binding);
    return db.queryOne(
            "SELECT token_hash, user_id, methods, binding_hash FROM pending_sign_ins"
                + " WHERE token_hash = ? AND completed_at IS NULL AND expires_at > ?"
                + " AND failed_codes < ?",
            rs ->
                MessageDigest.isEqual(
                        rs.getString(4).getBytes(StandardCharsets.US_ASCII),
                        bindingHash.getBytes(StandardCharsets.US_ASCII))
                    ? Optional.of(
                        new Waiting(rs.getString(1), rs.getString(2), methods(rs.getString(3))))
                    : Optional.<Waiting>empty(),
            hash(token),
            clock.millis(),
            MAX_FAILED_CODES)
        .flatMap(found -> found);
  }

  /** Counts a wrong code; the pending sign-in ends at the {@link #MAX_FAILED_CODES}th. */
  public void failed(String tokenHash) {
    db.inTransaction(
        c -> {
          Sql.update(
              c,
              "UPDATE pending_sign_ins SET failed_codes = failed_codes + 1 WHERE token_hash = ?",
              tokenHash);
          return Sql.update(
              c,
              "DELETE FROM pending_sign_ins WHERE token_hash = ? AND failed_codes >= ?",
              tokenHash,
              MAX_FAILED_CODES);
        });
  }

  /**
   * Marks the pending sign-in completed: true for exactly one caller, even when two instances race
   * with right codes; false when it expired, ended or was completed meanwhile.
   */
  public boolean complete(String tokenHash) {
    long now = clock.millis();
    return db.update(
            "UPDATE pending_sign_ins SET completed_at = ? WHERE token_hash = ?"
                + " AND completed_at IS NULL AND expires_at > ? AND failed_codes < ?",
            now,
            tokenHash,
            now,
            MAX_FAILED_CODES)
        == 1;
  }

  /** Deletes pending sign-ins that ended (housekeeping). */
  public int purgeExpired() {
    return db.update("DELETE FROM pending_sign_ins WHERE expires_at <= ?", clock.millis());
  }

  private static List<SecondFactorMethod> methods(String stored) {
    return Arrays.stream(stored.split(" "))
        .filter(s -> !s.isEmpty())
        .map(s -> SecondFactorMethod.valueOf(s.toUpperCase(Locale.ROOT)))
        .toList();
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
