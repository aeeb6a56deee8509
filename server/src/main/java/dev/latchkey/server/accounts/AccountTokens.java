package dev.latchkey.server.accounts;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import dev.latchkey.server.users.UserException;
import dev.latchkey.verifier.wire.Digests;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * One-time link tokens: 256 random bits, of which only the SHA-256 is stored. Issuing a token
 * supersedes the user's earlier ones of the same purpose; redeeming marks it used, once.
 */
final class AccountTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A token as sent: 32 bytes in unpadded base64url. */
  private static final int TOKEN_CHARS = 43;

  private final Database db;
  private final Clock clock;

  AccountTokens(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A fresh token for the user; the earlier unused ones of this purpose stop working. */
  String issue(String userId, TokenPurpose purpose, Duration ttl) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long now = clock.millis();
    db.inTransaction(
        c -> {
          Sql.update(
              c,
              "UPDATE account_tokens SET superseded_at = ? WHERE user_id = ? AND purpose = ?"
                  + " AND used_at IS NULL AND superseded_at IS NULL",
              now,
              userId,
              purpose.stored);
          return Sql.update(
              c,
              "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at)"
                  + " VALUES (?, ?, ?, ?, ?)",
              hash(token),
              userId,
              purpose.stored,
              now,
              now + ttl.toMillis());
        });
    return token;
  }

  /** Every unused token of this purpose of the user stops working. */
  void supersedeAll(String userId, TokenPurpose purpose) {
    db.update(
        "UPDATE account_tokens SET superseded_at = ? WHERE user_id = ? AND purpose = ?"
            + " AND used_at IS NULL AND superseded_at IS NULL",
        clock.millis(),
        userId,
        purpose.stored);
  }

  private record Stored(String userId, long expiresAt, boolean used, boolean superseded) {}

  /**
   * Spends a token.
   *
   * @return the user id it was issued to
   * @throws UserException {@code invalid_token} (unknown, malformed or of another purpose), {@code
   *     token_expired}, {@code token_used} or {@code token_superseded}
   */
  String redeem(String token, TokenPurpose purpose) {
    Stored stored = check(token, purpose);
    long now = clock.millis();
    int spent =
        db.update(
            "UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
                + " AND superseded_at IS NULL",
            now,
            hash(token));
    if (spent == 0) { // a concurrent redemption won
      throw used();
    }
    return stored.userId();
  }

  /** The same checks as {@link #redeem} without spending the token. */
  String peek(String token, TokenPurpose purpose) {
    return check(token, purpose).userId();
  }

  private Stored check(String token, TokenPurpose purpose) {
    if (token == null || token.length() != TOKEN_CHARS || !token.matches("[A-Za-z0-9_-]+")) {
      throw invalid();
    }
    Stored stored =
        db.queryOne(
                "SELECT user_id, expires_at, used_at, superseded_at FROM account_tokens"
                    + " WHERE token_hash = ? AND purpose = ?",
                rs -> {
                  String user = rs.getString(1);
                  long expires = rs.getLong(2);
                  rs.getLong(3);
                  boolean used = !rs.wasNull();
                  rs.getLong(4);
                  boolean superseded = !rs.wasNull();
                  return new Stored(user, expires, used, superseded);
                },
                hash(token),
                purpose.stored)
            .orElseThrow(AccountTokens::invalid);
    if (stored.used()) {
      throw used();
    }
    if (stored.superseded()) {
      throw new UserException(
          "token_superseded", "A newer link was sent after this one: use the newest link.");
    }
    if (stored.expiresAt() <= clock.millis()) {
      throw new UserException("token_expired", "This link has expired: ask for a new one.");
    }
    return stored;
  }

  /** Forgets tokens that ran out a day ago (kept a while so that late clicks get a clear error). */
  int purgeExpired() {
    return db.update(
        "DELETE FROM account_tokens WHERE expires_at < ?",
        clock.millis() - Duration.ofDays(1).toMillis());
  }

  private static UserException invalid() {
    return new UserException("invalid_token", "This link is not valid.");
  }

  private static UserException used() {
    return new UserException("token_used", "This link has already been used.");
  }

  static String hash(String token) {
    return Digests.sha256Base64Url(token);
  }
}
