package dev.latchkey.server.passkeys;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.passkeys.PasskeyChallenges.Purpose;
import dev.latchkey.server.store.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Users' passkeys (WebAuthn credentials, verified with webauthn4j): registration by a signed-in
 * user, the list and removal, and the checks of assertions for a passwordless sign-in or a second
 * step. Credentials and challenges live in the database, so any instance finishes a ceremony
 * another started.
 *
 * <p>The callers own authentication and throttling: registration and removal are for a signed-in
 * user; {@link #check} is called by the sign-in flow after it reserved a place on the login
 * throttle. The front of the package: registration is {@link PasskeyRegistrations}', assertions
 * {@link PasskeyAssertions}'.
 */
public final class Passkeys {
  /** Passkeys an account may have: bounds the rows and the options' credential lists. */
  public static final int MAX_PER_USER = 20;

  /** The longest name a passkey may be given. */
  public static final int NAME_MAX = 100;

  private final PasskeyRows rows;
  private final PasskeyChallenges challenges;
  private final PasskeyRegistrations registrations;
  private final PasskeyAssertions assertions;
  private final RelyingParty rp;
  private final Audit audit;

  public Passkeys(Database db, RelyingParty rp, Clock clock, Audit audit) {
    ObjectConverter converter = new ObjectConverter();
    WebAuthnManager webauthn = WebAuthnManager.createNonStrictWebAuthnManager(converter);
    this.rows = new PasskeyRows(db, converter.getCborConverter());
    this.challenges = new PasskeyChallenges(db, clock);
    this.registrations = new PasskeyRegistrations(webauthn, db, challenges, rows, rp, clock, audit);
    this.assertions = new PasskeyAssertions(webauthn, challenges, rows, rp, clock, audit);
    this.rp = rp;
    this.audit = audit;
  }

  /** The relying party credentials are registered with. */
  public RelyingParty relyingParty() {
    return rp;
  }

  /**
   * The WebAuthn user handle of a user: the bytes of the user's random ID (no address or name, as
   * the specification asks).
   */
  static byte[] userHandle(String userId) {
    return userId.getBytes(StandardCharsets.UTF_8);
  }

  // ---- registration ----------------------------------------------------------------------

  /**
   * {@code PublicKeyCredentialCreationOptionsJSON} for a signed-in user.
   *
   * @throws PasskeyException {@code too_many_passkeys}
   */
  public Map<String, Object> registrationOptions(String userId, String email) {
    return registrations.options(userId, email);
  }

  /**
   * Verifies the credential's JSON ({@code PublicKeyCredential.toJSON()}) against a challenge the
   * user was given, and stores it.
   *
   * @throws PasskeyException {@code invalid_request}, {@code passkey_refused}, {@code
   *     passkey_exists}, {@code too_many_passkeys}
   */
  public Passkey register(String userId, String credentialJson, String name) {
    return registrations.register(userId, credentialJson, name);
  }

  // ---- the user's list -------------------------------------------------------------------

  public List<Passkey> list(String userId) {
    return rows.list(userId);
  }

  /** The list inside a caller's transaction (the second-factor summary). */
  public static List<Passkey> list(Connection c, String userId) throws SQLException {
    return PasskeyRows.list(c, userId);
  }

  /**
   * Removes one of the user's passkeys.
   *
   * @throws PasskeyException {@code 404 unknown_passkey} when the user has none of this ID
   */
  public void remove(String userId, String credentialId) {
    if (!rows.delete(userId, credentialId)) {
      throw new PasskeyException(404, "unknown_passkey", "No passkey of yours has this ID.");
    }
    audit.record(AuditEvent.PASSKEY_REMOVED, "user_id", userId, "by", "user");
  }

  /** Removes every passkey of the user, inside the operator's reset; the number removed. */
  public static int removeAll(Connection c, String userId) throws SQLException {
    return PasskeyRows.deleteAll(c, userId);
  }

  // ---- signing in ------------------------------------------------------------------------

  /**
   * {@code PublicKeyCredentialRequestOptionsJSON} for a passwordless sign-in: no {@code
   * allowCredentials} (a discoverable credential names its user), user verification required.
   */
  public Map<String, Object> loginOptions() {
    byte[] challenge = challenges.issue(Purpose.LOGIN, null, null);
    return OptionsJson.requestOptions(challenge, rp.id(), "required", null);
  }

  /**
   * Request options for the second step of a pending sign-in ({@code pendingHash}) of {@code
   * userId}: the user's credentials allowed, user verification preferred (the password was the
   * first factor).
   */
  public Map<String, Object> secondStepOptions(String userId, String pendingHash) {
    byte[] challenge = challenges.issue(Purpose.SECOND_STEP, userId, pendingHash);
    return OptionsJson.requestOptions(challenge, rp.id(), "preferred", rows.descriptors(userId));
  }

  /**
   * Parses an assertion's JSON ({@code PublicKeyCredential.toJSON()}) and finds the credential it
   * names, without judging it.
   *
   * @throws PasskeyException {@code 400 invalid_request}
   */
  public Assertion read(String assertionJson) {
    return assertions.read(assertionJson);
  }

  /**
   * Judges an assertion and spends its challenge: for a passwordless sign-in ({@code pendingHash}
   * null), or for the second step of {@code userId}'s pending sign-in. Writes the audit line.
   */
  public PasskeyCheck check(Assertion assertion, String userId, String pendingHash) {
    return assertions.check(assertion, userId, pendingHash);
  }

  /** Deletes expired challenges (housekeeping). */
  public static int purgeExpiredChallenges(Database db, Clock clock) {
    return new PasskeyChallenges(db, clock).purgeExpired();
  }
}
