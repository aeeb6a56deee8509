package dev.latchkey.server.mfa;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SealedSecrets;
import dev.latchkey.server.passkeys.Passkeys;
import dev.latchkey.server.sessions.SessionRevocation;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

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
 *
 * <p>The front of the package: enrolment is {@link TotpEnrolments}', the second step's check {@link
 * SecondStepCheck}'s, the recovery-code rows {@link RecoveryCodeRows}'.
 */
public final class SecondFactors {
  private final Database db;
  private final RecoveryCodeRows recoveryCodes;
  private final TotpEnrolments enrolments;
  private final SecondStepCheck secondStep;
  private final Clock clock;
  private final Audit audit;

  public SecondFactors(Database db, MasterKey masterKey, Clock clock, Audit audit) {
    SealedSecrets sealed = new SealedSecrets(masterKey);
    RecoveryCodes codes = new RecoveryCodes(masterKey.deriveKey("latchkey recovery codes v1"));
    Totp totp = new Totp(clock);
    this.db = db;
    this.recoveryCodes = new RecoveryCodeRows(codes);
    this.enrolments = new TotpEnrolments(db, sealed, recoveryCodes, totp, clock, audit);
    this.secondStep = new SecondStepCheck(db, sealed, codes, totp, clock, audit);
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
    return new FactorSummary(totpOn, RecoveryCodeRows.left(c, userId), Passkeys.list(c, userId));
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
    return enrolments.start(userId, email);
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
    return enrolments.confirm(userId, code);
  }

  /**
   * Turns TOTP off (and a pending enrolment away) with its recovery codes, which are issued with
   * TOTP and stand in for it (passkeys stay: a lost passkey is removed from another device or by
   * the operator). The caller has checked a current code or the password.
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
              return recoveryCodes.replace(c, userId, now);
            });
    audit.record(
        AuditEvent.RECOVERY_CODES_REGENERATED, "user_id", userId, "recovery_codes", codes.size());
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
    return secondStep.verify(userId, code);
  }

  // ---- the operator ----------------------------------------------------------------------

  /** What {@link #resetByOperator} removed and revoked. */
  public record Reset(
      boolean totpRemoved, int recoveryCodesRemoved, int passkeysRemoved, int sessionsRevoked) {}

  /**
   * The operator's recovery for a user who lost their authenticator ({@code latchkey users mfa
   * EMAIL --reset}): removes every factor (pending or on), every passkey and every recovery code,
   * then revokes every session of the user, since whoever holds one may be who took the factor
   * over.
   */
  public Reset resetByOperator(String userId, SessionRevocation sessions) {
    Reset removed =
        db.inTransaction(
            c -> {
              int totpRows = Sql.update(c, "DELETE FROM mfa_totp WHERE user_id = ?", userId);
              int codes = Sql.update(c, "DELETE FROM mfa_recovery_codes WHERE user_id = ?", userId);
              return new Reset(totpRows > 0, codes, Passkeys.removeAll(c, userId), 0);
            });
    audit.record(
        AuditEvent.MFA_RESET,
        "user_id",
        userId,
        "totp_removed",
        removed.totpRemoved(),
        "recovery_codes_removed",
        removed.recoveryCodesRemoved(),
        "passkeys_removed",
        removed.passkeysRemoved(),
        "by",
        "operator");
    int revoked = sessions.revokeAllForUser(userId, null, "mfa_reset");
    return new Reset(
        removed.totpRemoved(), removed.recoveryCodesRemoved(), removed.passkeysRemoved(), revoked);
  }
}
