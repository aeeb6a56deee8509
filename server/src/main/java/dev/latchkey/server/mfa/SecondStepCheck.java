package dev.latchkey.server.mfa;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.keys.SealedSecrets;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/** The second step's check: a TOTP code or a recovery code, each accepted once. */
final class SecondStepCheck {
  private final Database db;
  private final SealedSecrets sealed;
  private final RecoveryCodes recoveryCodes;
  private final Totp totp;
  private final Clock clock;
  private final Audit audit;

  SecondStepCheck(
      Database db,
      SealedSecrets sealed,
      RecoveryCodes recoveryCodes,
      Totp totp,
      Clock clock,
      Audit audit) {
    this.db = db;
    this.sealed = sealed;
    this.recoveryCodes = recoveryCodes;
    this.totp = totp;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Checks a second-step code, a TOTP code (six digits) or a recovery code, and spends it: a TOTP
   * step is accepted once (a replay, or a code of a step older than the last accepted, is refused),
   * a recovery code once. Writes the audit line of the outcome. The sign-in flow reserves its
   * throttle place before calling and settles it with the outcome.
   */
  SecondStep verify(String userId, String code) {
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
    OptionalLong step =
        totp.matchingStep(sealed.open(row.secretEnc(), TotpEnrolments.secretLabel(userId)), code);
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
    return new SecondStep.Passed(SecondFactorMethod.TOTP, RecoveryCodeRows.left(c, userId));
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
    return new SecondStep.Passed(
        SecondFactorMethod.RECOVERY_CODE, RecoveryCodeRows.left(c, userId));
  }

  private record TotpRow(String secretEnc, Long lastStep) {}
}
