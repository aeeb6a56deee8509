package dev.latchkey.server.mfa;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SealedSecrets;
import dev.latchkey.server.sessions.SessionRevocation;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.RaceLost;
import dev.latchkey.server.store.Sql;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A user's second factors: TOTP enrolment (pending until a code confirms it), recovery codes, the
 * second step's check, removal and the operator's reset. Every row lives in the database, so every
 * instance agrees on a pending enrolment, on the last accepted TOTP step and on spent recovery
 * codes; each change is decided by one conditional statement, so two instances racing with the same
 * code accept it once.
 *
 * <p>The callers own authentication and throttling: enrolment and removal are for a signed-in user
 * (or a user who just proved a code or the password); {@link #verify} is called by the sign-in flow
 * after it reserved a place on the login throttle.
 */
public final class SecondFactors {
  /** The issuer shown by authenticator apps, and the label's prefix. */
  static final String ISSUER = "Latchkey";

  private static final int SECRET_BYTES = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final SealedSecrets sealed;
  private final RecoveryCodes recoveryCodes;
  private final Totp totp;
  private final Clock clock;
  private final Audit audit;

  public SecondFactors(Database db, MasterKey masterKey, Clock clock, Audit audit) {
    this.db = db;
    this.sealed = new SealedSecrets(masterKey);
    this.recoveryCodes = new RecoveryCodes(masterKey.deriveKey("latchkey recovery codes v1"));
    this.totp = new Totp(clock);
    this.clock = clock;
    this.audit = audit;
  }

  /** What the user has on. */
  public FactorSummary summary(String userId) {
    return db.inTransaction(c -> summary(c, userId));
  }

  private static FactorSummary summary(Connection c, String userId) throws SQLException {
    boolean totpOn =
        Sql.one(
                c,
                "SELECT 1 FROM mfa_totp WHERE user_id = ? AND confirmed_at IS NOT NULL",
                rs -> true,
                userId)
            .isPresent();
    return new FactorSummary(totpOn, recoveryCodesLeft(c, userId));
  }

  private static int recoveryCodesLeft(Connection c, String userId) throws SQLException {
    return Sql.one(
            c,
            "SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL",
            rs -> rs.getInt(1),
            userId)
        .orElse(0);
  }

  // ---- TOTP enrolment --------------------------------------------------------------------

  /**
   * Starts (or restarts) a TOTP enrolment: a fresh secret, stored sealed under the master key,
   * replacing any earlier pending one. TOTP stays off until {@link #confirmTotp}.
   *
   * @param email the account's address, the label authenticator apps show
   * @throws MfaException {@code totp_already_enabled} when a confirmed TOTP is on: removing it
   *     (which takes a current code) comes first
   */
  public TotpEnrolment startTotpEnrolment(String userId, String email) {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    String stored = sealed.seal(secret, label(userId));
    long now = clock.millis();
    db.inTransactionRetrying(
        3,
        c -> {
          Optional<Boolean> confirmed =
              Sql.one(
                  c,
                  "SELECT confirmed_at FROM mfa_totp WHERE user_id = ? FOR UPDATE",
                  rs -> {
                    rs.getLong(1);
                    return !rs.wasNull();
                  },
                  userId);
          if (confirmed.orElse(false)) {
            throw new MfaException(
                "totp_already_enabled", "TOTP is already on: remove it before enrolling again");
          }
          if (confirmed.isPresent()) {
            Sql.update(
                c,
                "UPDATE mfa_totp SET secret_enc = ?, created_at = ?, last_step = NULL"
                    + " WHERE user_id = ? AND confirmed_at IS NULL",
                stored,
                now,
                userId);
          } else if (!Sql.insertUnlessTaken(
              c,
              "INSERT INTO mfa_totp (user_id, secret_enc, created_at) VALUES (?, ?, ?)",
              userId,
              stored,
              now)) {
            throw new RaceLost();
          }
          return null;
        },
        () -> new IllegalStateException("TOTP enrolment of one user raced three times"));
    audit.record(AuditEvent.MFA_ENROLMENT_STARTED, "user_id", userId, "method", "totp");
    String base32 = Base32.encode(secret);
    return new TotpEnrolment(base32, otpauthUri(email, base32));
  }

  static String otpauthUri(String email, String base32Secret) {
    String label = encode(ISSUER + ":" + email);
    return "otpauth://totp/"
        + label
        + "?secret="
        + base32Secret
        + "&issuer="
        + encode(ISSUER)
        + "&algorithm=SHA1&digits="
        + Totp.DIGITS
        + "&period="
        + Totp.PERIOD_SECONDS;
  }

  /**
   * Percent-encoding for the label and the issuer (a space as %20, not +); the colon and the at
   * sign stay readable, as Google's key URI format shows them ({@code Latchkey:ada@example.com}).
   */
  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%3A", ":")
        .replace("%40", "@");
  }

  /**
   * Confirms the pending enrolment with a code from the authenticator: TOTP is on from now, the
   * code's step counts as used, and recovery codes are issued (voiding any older ones).
   *
   * @return the {@value RecoveryCodes#COUNT} recovery codes, to show once
   * @throws MfaException {@code no_pending_enrolment}, or {@code invalid_code} (the enrolment stays
   *     pending, to try again)
   */
  public List<String> confirmTotp(String userId, String code) {
    long now = clock.millis();
    List<String> codes =
        db.inTransaction(
            c -> {
              String stored =
                  Sql.one(
                          c,
                          "SELECT secret_enc FROM mfa_totp"
                              + " WHERE user_id = ? AND confirmed_at IS NULL FOR UPDATE",
                          rs -> rs.getString(1),
                          userId)
                      .orElseThrow(
                          () ->
                              new MfaException(
                                  "no_pending_enrolment", "no TOTP enrolment is pending"));
              OptionalLong step = totp.matchingStep(sealed.open(stored, label(userId)), code);
              if (step.isEmpty()) {
                throw new MfaException("invalid_code", "the code does not match");
              }
              Sql.update(
                  c,
                  "UPDATE mfa_totp SET confirmed_at = ?, last_step = ? WHERE user_id = ?",
                  now,
                  step.getAsLong(),
                  userId);
              return replaceRecoveryCodes(c, userId, now);
            });
    audit.record(
        AuditEvent.MFA_ENABLED,
        "user_id",
        userId,
        "method",
        "totp",
        "recovery_codes",
        codes.size());
    return codes;
  }

  /**
   * Turns TOTP off (and a pending enrolment away) with its recovery codes, which only stand in for
   * a factor (when passkeys come as second steps, the codes stay while one remains). The caller has
   * checked a current code or the password.
   *
   * @return false when the user had no TOTP, pending or on
   */
  public boolean removeTotp(String userId) {
    boolean removed =
        db.inTransaction(
            c -> {
              int rows = Sql.update(c, "DELETE FROM mfa_totp WHERE user_id = ?", userId);
              Sql.update(c, "DELETE FROM mfa_recovery_codes WHERE user_id = ?", userId);
              return rows > 0;
            });
    if (removed) {
      audit.record(AuditEvent.MFA_REMOVED, "user_id", userId, "method", "totp", "by", "user");
    }
    return removed;
  }

  // ---- recovery codes --------------------------------------------------------------------

  /**
   * Issues fresh recovery codes; the old ones stop working.
   *
   * @throws MfaException {@code totp_not_enabled} when the user has no factor the codes could stand
   *     in for
   */
  public List<String> regenerateRecoveryCodes(String userId) {
    long now = clock.millis();
    List<String> codes =
        db.inTransaction(
            c -> {
              if (!summary(c, userId).secondStepRequired()) {
                throw new MfaException(
                    "totp_not_enabled", "recovery codes need a second factor to stand in for");
              }
              return replaceRecoveryCodes(c, userId, now);
            });
    audit.record(
        AuditEvent.RECOVERY_CODES_REGENERATED, "user_id", userId, "recovery_codes", codes.size());
    return codes;
  }

  private List<String> replaceRecoveryCodes(Connection c, String userId, long now)
      throws SQLException {
    Sql.update(c, "DELETE FROM mfa_recovery_codes WHERE user_id = ?", userId);
    List<String> codes = recoveryCodes.generate();
    for (String code : codes) {
      String normalized = RecoveryCodes.normalize(code).orElseThrow();
      Sql.update(
          c,
          "INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)",
          userId,
          recoveryCodes.hash(userId, normalized),
          now);
    }
    return codes;
  }

  // ---- the second step -------------------------------------------------------------------

  /**
   * Checks a second-step code, a TOTP code (six digits) or a recovery code, and spends it: a TOTP
   * step is accepted once (a replay, or a code of a step older than the last accepted, is refused),
   * a recovery code once. Writes the audit line of the outcome. The sign-in flow reserves its
   * throttle place before calling and settles it with the outcome.
   */
  public SecondStep verify(String userId, String code) {
    String typed = code == null ? "" : code.strip();
    SecondStep outcome = db.inTransaction(c -> check(c, userId, typed));
    if (outcome instanceof SecondStep.Passed passed) {
      audit.record(
          AuditEvent.MFA_SUCCEEDED, "user_id", userId, "method", passed.method().wireName());
      if (passed.method() == SecondFactorMethod.RECOVERY_CODE) {
        audit.record(
            AuditEvent.RECOVERY_CODE_USED,
            "user_id",
            userId,
            "recovery_codes_left",
            passed.recoveryCodesLeft());
      }
    } else if (outcome instanceof SecondStep.Refused refused) {
      audit.record(AuditEvent.MFA_FAILED, "user_id", userId, "reason", refused.reason().wireName());
    }
    return outcome;
  }

  private SecondStep check(Connection c, String userId, String code) throws SQLException {
    Optional<TotpRow> row =
        Sql.one(
            c,
            "SELECT secret_enc, last_step FROM mfa_totp"
                + " WHERE user_id = ? AND confirmed_at IS NOT NULL",
            rs -> {
              String secret = rs.getString(1);
              long last = rs.getLong(2);
              return new TotpRow(secret, rs.wasNull() ? null : last);
            },
            userId);
    if (row.isEmpty()) {
      return new SecondStep.Refused(SecondStep.Reason.NOT_ENROLLED);
    }
    String digits = code.replace(" ", "");
    if (digits.length() == Totp.DIGITS) {
      // six characters are a TOTP code (an app shows "123 456"); a recovery code has ten
      return checkTotp(c, userId, row.get(), digits);
    }
    return checkRecoveryCode(c, userId, code);
  }

  private SecondStep checkTotp(Connection c, String userId, TotpRow row, String code)
      throws SQLException {
    OptionalLong step = totp.matchingStep(sealed.open(row.secretEnc(), label(userId)), code);
    if (step.isEmpty()) {
      return new SecondStep.Refused(SecondStep.Reason.INVALID_CODE);
    }
    // the one decision against replay, atomic across instances: the step must be newer
    int advanced =
        Sql.update(
            c,
            "UPDATE mfa_totp SET last_step = ?"
                + " WHERE user_id = ? AND confirmed_at IS NOT NULL"
                + " AND (last_step IS NULL OR last_step < ?)",
            step.getAsLong(),
            userId,
            step.getAsLong());
    if (advanced == 0) {
      return new SecondStep.Refused(SecondStep.Reason.REPLAYED);
    }
    return new SecondStep.Passed(SecondFactorMethod.TOTP, recoveryCodesLeft(c, userId));
  }

  private SecondStep checkRecoveryCode(Connection c, String userId, String code)
      throws SQLException {
    Optional<String> normalized = RecoveryCodes.normalize(code);
    if (normalized.isEmpty()) {
      return new SecondStep.Refused(SecondStep.Reason.INVALID_CODE);
    }
    int spent =
        Sql.update(
            c,
            "UPDATE mfa_recovery_codes SET used_at = ?"
                + " WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
            clock.millis(),
            userId,
            recoveryCodes.hash(userId, normalized.get()));
    if (spent == 0) {
      return new SecondStep.Refused(SecondStep.Reason.INVALID_CODE);
    }
    return new SecondStep.Passed(SecondFactorMethod.RECOVERY_CODE, recoveryCodesLeft(c, userId));
  }

  private record TotpRow(String secretEnc, Long lastStep) {}

  // ---- the operator ----------------------------------------------------------------------

  /** What {@link #resetByOperator} removed and revoked. */
  public record Reset(boolean totpRemoved, int recoveryCodesRemoved, int sessionsRevoked) {}

  /**
   * The operator's recovery for a user who lost their authenticator ({@code latchkey users mfa
   * EMAIL --reset}): removes every factor (pending or on) and every recovery code, then revokes
   * every session of the user, since whoever holds one may be who took the factor over.
   */
  public Reset resetByOperator(String userId, SessionRevocation sessions) {
    Reset removed =
        db.inTransaction(
            c -> {
              int totpRows = Sql.update(c, "DELETE FROM mfa_totp WHERE user_id = ?", userId);
              int codes = Sql.update(c, "DELETE FROM mfa_recovery_codes WHERE user_id = ?", userId);
              return new Reset(totpRows > 0, codes, 0);
            });
    audit.record(
        AuditEvent.MFA_RESET,
        "user_id",
        userId,
        "totp_removed",
        removed.totpRemoved(),
        "recovery_codes_removed",
        removed.recoveryCodesRemoved(),
        "by",
        "operator");
    int revoked = sessions.revokeAllForUser(userId, null, "mfa_reset");
    return new Reset(removed.totpRemoved(), removed.recoveryCodesRemoved(), revoked);
  }

  /** The associated data a user's TOTP secret is sealed under: it opens for no other row. */
  private static String label(String userId) {
    return "totp:" + userId;
  }
}
