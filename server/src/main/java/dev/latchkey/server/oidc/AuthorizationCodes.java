package dev.latchkey.server.oidc;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.latchkey.server.sessions.AmrColumn;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Authorization codes: random, stored by hash, single use, {@link #LIFETIME} at most, bound to the
 * client, the redirect URI and the PKCE challenge they were issued for. The first presentation
 * spends a code whatever its outcome for that client, so a code never works twice.
 */
public final class AuthorizationCodes {
  /** How long a code may wait for its redemption. */
  public static final Duration LIFETIME = Duration.ofSeconds(60);

  private final Database db;
  private final Clock clock;

  public AuthorizationCodes(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Issues a code for an authorization request; returns it (only its hash is kept). */
  public String issue(CodeRequest r) {
    String code = Hashes.randomValue();
    db.update(
        "INSERT INTO oidc_codes (code_hash, client_id, redirect_uri, code_challenge, user_id,"
            + " sso_id_hash, scope, nonce, auth_time, expires_at, amr) VALUES (?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?)",
        Hashes.sha256(code),
        r.clientId(),
        r.redirectUri(),
        r.codeChallenge(),
        r.userId(),
        r.ssoIdHash(),
        r.scope(),
        r.nonce(),
        r.authTime().toEpochMilli(),
        clock.millis() + LIFETIME.toMillis(),
        AmrColumn.write(r.amr()));
    return code;
  }

  /** Presents a code for the authenticated (or identified, when public) client. */
  public CodeRedemption redeem(String code, String clientId, String redirectUri, String verifier) {
    if (code == null || code.length() > 100) {
      return new CodeRedemption.Refused("The authorization code is unknown.");
    }
    String hash = Hashes.sha256(code);
    return db.inTransaction(c -> redeemLocked(c, hash, clientId, redirectUri, verifier));
  }

  private CodeRedemption redeemLocked(
      Connection c, String hash, String clientId, String redirectUri, String verifier)
      throws SQLException {
    Optional<Stored> found =
        Sql.one(
            c,
            "SELECT client_id, redirect_uri, code_challenge, user_id, sso_id_hash, scope, nonce,"
                + " auth_time, expires_at, used_at, issued_sid, amr FROM oidc_codes"
                + " WHERE code_hash = ? FOR UPDATE",
            rs -> {
              long used = rs.getLong(10);
              boolean wasUsed = !rs.wasNull();
              return new Stored(
                  new CodeRequest(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5),
                      rs.getString(6),
                      rs.getString(7),
                      Instant.ofEpochMilli(rs.getLong(8)),
                      AmrColumn.read(rs.getString(12))),
                  rs.getLong(9),
                  wasUsed && used > 0,
                  rs.getString(11));
            },
            hash);
    if (found.isEmpty()) {
      return new CodeRedemption.Refused("The authorization code is unknown.");
    }
    Stored stored = found.get();
    CodeRequest request = stored.request();
    if (!request.clientId().equals(clientId)) {
      // another client cannot spend (or learn anything about) this client's code
      return new CodeRedemption.Refused("The authorization code is unknown.");
    }
    if (stored.used()) {
      return new CodeRedemption.Reused(stored.issuedSid());
    }
    long now = clock.millis();
    Sql.update(c, "UPDATE oidc_codes SET used_at = ? WHERE code_hash = ?", now, hash);
    if (stored.expiresAt() <= now) {
      return new CodeRedemption.Refused("The authorization code has expired.");
    }
    if (!request.redirectUri().equals(redirectUri)) {
      return new CodeRedemption.Refused("The redirect_uri is not the one the code was issued for.");
    }
    if (!verifierMatches(verifier, request.codeChallenge())) {
      return new CodeRedemption.Refused("The code_verifier does not match the code_challenge.");
    }
    return new CodeRedemption.Redeemed(hash, request);
  }

  /** Records the session a code's redemption started, to revoke it if the code comes back. */
  public void issued(String codeHash, String sid) {
    db.update("UPDATE oidc_codes SET issued_sid = ? WHERE code_hash = ?", sid, codeHash);
  }

  /** Deletes codes expired for more than a day (a reuse is recognised until then). */
  public int purgeExpired() {
    return db.update(
        "DELETE FROM oidc_codes WHERE expires_at < ?",
        clock.millis() - Duration.ofDays(1).toMillis());
  }

  private static boolean verifierMatches(String verifier, String challenge) {
    if (verifier == null) {
      return false;
    }
    try {
      return CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier))
          .getValue()
          .equals(challenge);
    } catch (IllegalArgumentException e) { // not 43 to 128 unreserved characters
      return false;
    }
  }

  private record Stored(CodeRequest request, long expiresAt, boolean used, String issuedSid) {}
}
