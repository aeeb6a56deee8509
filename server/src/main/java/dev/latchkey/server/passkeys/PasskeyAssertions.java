package dev.latchkey.server.passkeys;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.verifier.exception.BadBackupEligibleFlagException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.IllegalBackupStateException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.passkeys.PasskeyChallenges.Purpose;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

/**
 * Signing in with a passkey: the request options, and the assertion's check (WebAuthn Level 3 §7.2)
 * with webauthn4j: the challenge spent first (so any failure after it still spends it), the
 * credential and its owner, the user handle for a passwordless sign-in, then origin, RP ID, user
 * presence and verification, backup flags, signature and counter; a passed assertion's use is
 * recorded (counter, backup state, last use) by a conditional update.
 */
final class PasskeyAssertions {
  private final WebAuthnManager webauthn;
  private final PasskeyChallenges challenges;
  private final PasskeyRows rows;
  private final RelyingParty rp;
  private final Clock clock;
  private final Audit audit;

  PasskeyAssertions(
      WebAuthnManager webauthn,
      PasskeyChallenges challenges,
      PasskeyRows rows,
      RelyingParty rp,
      Clock clock,
      Audit audit) {
    this.webauthn = webauthn;
    this.challenges = challenges;
    this.rows = rows;
    this.rp = rp;
    this.clock = clock;
    this.audit = audit;
  }

  Assertion read(String json) {
    AuthenticationData data;
    try {
      data = webauthn.parseAuthenticationResponseJSON(json);
    } catch (RuntimeException e) {
      throw PasskeyException.malformed();
    }
    if (data.getCredentialId() == null
        || data.getCollectedClientData() == null
        || data.getAuthenticatorData() == null) {
      throw PasskeyException.malformed();
    }
    return new Assertion(data, rows.find(data.getCredentialId()));
  }

  /**
   * Checks an assertion: passwordless ({@code pendingHash == null}: user verification required, the
   * user handle must name the credential's owner) or the second step of {@code userId}'s pending
   * sign-in (the credential must be the user's; user verification preferred).
   */
  PasskeyCheck check(Assertion assertion, String userId, String pendingHash) {
    boolean passwordless = pendingHash == null;
    PasskeyCheck outcome = judge(assertion, userId, pendingHash, passwordless);
    String ceremony = passwordless ? "login" : "second_step";
    if (outcome instanceof PasskeyCheck.Refused refused) {
      audit.record(
          AuditEvent.PASSKEY_REFUSED,
          "user_id",
          assertion.ownerId().orElse(null),
          "ceremony",
          ceremony,
          "reason",
          refused.reason());
    } else if (outcome instanceof PasskeyCheck.Passed passed) {
      audit.record(
          AuditEvent.PASSKEY_ACCEPTED,
          "user_id",
          passed.userId(),
          "ceremony",
          ceremony,
          "synced",
          passed.synced());
    }
    return outcome;
  }

  private PasskeyCheck judge(
      Assertion assertion, String userId, String pendingHash, boolean passwordless) {
    AuthenticationData data = assertion.data;
    byte[] challenge = data.getCollectedClientData().getChallenge().getValue();
    Purpose purpose = passwordless ? Purpose.LOGIN : Purpose.SECOND_STEP;
    if (!challenges.spend(challenge, purpose, passwordless ? null : userId, pendingHash)) {
      return new PasskeyCheck.Refused("challenge");
    }
    Optional<PasskeyRows.Stored> stored = assertion.stored;
    if (stored.isEmpty() || (!passwordless && !stored.get().userId().equals(userId))) {
      return new PasskeyCheck.Refused("unknown_credential");
    }
    String owner = stored.get().userId();
    byte[] handle = data.getUserHandle();
    if (passwordless
        ? handle == null || !Arrays.equals(handle, Passkeys.userHandle(owner))
        : handle != null && !Arrays.equals(handle, Passkeys.userHandle(owner))) {
      return new PasskeyCheck.Refused("user_handle");
    }
    try {
      webauthn.verify(
          data,
          new AuthenticationParameters(
              rp.serverProperty(new DefaultChallenge(challenge)),
              stored.get().record(),
              null,
              passwordless,
              true));
    } catch (VerificationException e) {
      return new PasskeyCheck.Refused(reason(e));
    }
    var authData = data.getAuthenticatorData();
    if (!rows.used(
        data.getCredentialId(),
        authData.getSignCount(),
        authData.isFlagUV(),
        authData.isFlagBS(),
        clock.millis())) {
      return new PasskeyCheck.Refused("counter");
    }
    return new PasskeyCheck.Passed(
        owner, Boolean.TRUE.equals(stored.get().record().isBackupEligible()));
  }

  private static String reason(VerificationException e) {
    if (e instanceof BadOriginException) {
      return "origin";
    } else if (e instanceof BadRpIdException) {
      return "rp_id";
    } else if (e instanceof UserNotVerifiedException) {
      return "user_not_verified";
    } else if (e instanceof BadSignatureException) {
      return "signature";
    } else if (e instanceof MaliciousCounterValueException) {
      return "counter";
    } else if (e instanceof BadBackupEligibleFlagException
        || e instanceof IllegalBackupStateException) {
      return "backup_flags";
    } else if (e instanceof BadChallengeException) {
      return "challenge";
    }
    return "invalid";
  }
}
