package dev.latchkey.server.mfa;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.keys.SealedSecrets;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.RaceLost;
import dev.latchkey.server.store.Sql;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * TOTP enrolment: a secret sealed under the master key, pending until a code from the authenticator
 * confirms it; the confirmation issues the recovery codes.
 */
final class TotpEnrolments {
  /** The issuer shown by authenticator apps, and the label's prefix. */
  static final String ISSUER = "Latchkey";

  private static final int SECRET_BYTES = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final SealedSecrets sealed;
  private final RecoveryCodeRows recoveryCodes;
  private final Totp totp;
  private final Clock clock;
  private final Audit audit;

  TotpEnrolments(
      Database db,
      SealedSecrets sealed,
      RecoveryCodeRows recoveryCodes,
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
   * Starts (or restarts) a TOTP enrolment: a fresh secret, stored sealed under the master key,
   * replacing any earlier pending one. TOTP stays off until {@link #confirm}.
   *
   * @param email the account's address, the label authenticator apps show
   * @throws MfaException {@code totp_already_enabled} when a confirmed TOTP is on: removing it
   *     (which takes a current code) comes first
   */
  TotpEnrolment start(String userId, String email) {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    String stored = sealed.seal(secret, secretLabel(userId));
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
  List<String> confirm(String userId, String code) {
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
              OptionalLong step = totp.matchingStep(sealed.open(stored, secretLabel(userId)), code);
              if (step.isEmpty()) {
                throw new MfaException("invalid_code", "the code does not match");
              }
              Sql.update(
                  c,
                  "UPDATE mfa_totp SET confirmed_at = ?, last_step = ? WHERE user_id = ?",
                  now,
                  step.getAsLong(),
                  userId);
              return recoveryCodes.replace(c, userId, now);
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

  /** The associated data a user's TOTP secret is sealed under: it opens for no other row. */
  static String secretLabel(String userId) {
    return "totp:" + userId;
  }
}
