package dev.latchkey.server.passkeys;

import dev.latchkey.server.store.Database;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The challenges of WebAuthn ceremonies, in the database so that any instance can finish what
 * another started: 32 random bytes, stored as their SHA-256, live for {@link #LIFETIME}, bound to
 * what started the ceremony (the signed-in user, or the pending sign-in) and spent by the first
 * finish, right or wrong: one conditional delete, so two instances racing with one assertion accept
 * it once.
 */
final class PasskeyChallenges {
  /** How long a ceremony may take: the options' {@code timeout} says the same. */
  static final Duration LIFETIME = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a challenge is for; the name is the stored {@code purpose}. */
  enum Purpose {
    REGISTRATION("registration"),
    LOGIN("login"),
    SECOND_STEP("second_step");

    final String stored;

    Purpose(String stored) {
      this.stored = stored;
    }
  }

  private final Database db;
  private final Clock clock;

  PasskeyChallenges(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * A fresh challenge for {@code purpose}, bound to {@code userId} (registration, second step) and
   * {@code pendingHash} (second step); {@code null} where nothing binds it.
   */
  byte[] issue(Purpose purpose, String userId, String pendingHash) {
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    db.update(
        "INSERT INTO passkey_challenges (challenge_hash, purpose, user_id, pending_hash,"
            + " expires_at) VALUES (?, ?, ?, ?, ?)",
        hash(challenge),
        purpose.stored,
        userId,
        pendingHash,
        clock.millis() + LIFETIME.toMillis());
    return challenge;
  }

  /**
   * Spends a challenge: true for exactly one caller, when it was issued for this purpose and
   * binding and has not expired. A challenge that does not match is left alone (its owner's
   * ceremony can still finish), an expired one is purged by housekeeping.
   */
  boolean spend(byte[] challenge, Purpose purpose, String userId, String pendingHash) {
    if (challenge == null || challenge.length != 32) {
      return false;
    }
    List<Object> params = new ArrayList<>(List.of(hash(challenge), purpose.stored));
    StringBuilder sql =
        new StringBuilder(
            "DELETE FROM passkey_challenges WHERE challenge_hash = ? AND purpose = ?");
    sql.append(bound("user_id", userId, params)).append(bound("pending_hash", pendingHash, params));
    params.add(clock.millis());
    return db.update(sql.append(" AND expires_at > ?").toString(), params.toArray()) == 1;
  }

  /** The condition on a binding column: equal to the value, or empty where nothing binds. */
  private static String bound(String column, String value, List<Object> params) {
    if (value == null) {
      return " AND " + column + " IS NULL";
    }
    params.add(value);
    return " AND " + column + " = ?";
  }

  /** Deletes challenges whose ceremony can no longer finish (housekeeping). */
  int purgeExpired() {
    return db.update("DELETE FROM passkey_challenges WHERE expires_at <= ?", clock.millis());
  }

  private static String hash(byte[] challenge) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(challenge));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
