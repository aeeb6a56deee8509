package dev.latchkey.server.passkeys;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.passkeys.PasskeyChallenges.Purpose;
import dev.latchkey.server.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registering a passkey (WebAuthn Level 3 §7.1): the creation options for the signed-in user
 * (discoverable credential required, user verification preferred, the user's credentials excluded,
 * no attestation asked) and the credential's verification with webauthn4j, its challenge spent
 * first.
 */
final class PasskeyRegistrations {
  /** ES256 first (every platform authenticator), EdDSA, then RS256 (Windows Hello). */
  private static final List<PublicKeyCredentialParameters> ACCEPTED =
      List.of(
          new PublicKeyCredentialParameters(
              PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
          new PublicKeyCredentialParameters(
              PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
          new PublicKeyCredentialParameters(
              PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));

  private final WebAuthnManager webauthn;
  private final Database db;
  private final PasskeyChallenges challenges;
  private final PasskeyRows rows;
  private final RelyingParty rp;
  private final Clock clock;
  private final Audit audit;

  PasskeyRegistrations(
      WebAuthnManager webauthn,
      Database db,
      PasskeyChallenges challenges,
      PasskeyRows rows,
      RelyingParty rp,
      Clock clock,
      Audit audit) {
    this.webauthn = webauthn;
    this.db = db;
    this.challenges = challenges;
    this.rows = rows;
    this.rp = rp;
    this.clock = clock;
    this.audit = audit;
  }

  /** {@code PublicKeyCredentialCreationOptionsJSON} for the user. */
  Map<String, Object> options(String userId, String email) {
    List<PasskeyRows.Descriptor> existing = rows.descriptors(userId);
    if (existing.size() >= Passkeys.MAX_PER_USER) {
      throw tooMany();
    }
    byte[] challenge = challenges.issue(Purpose.REGISTRATION, userId, null);
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("rp", Map.of("id", rp.id(), "name", rp.id()));
    options.put(
        "user",
        Map.of(
            "id", OptionsJson.base64Url(Passkeys.userHandle(userId)),
            "name", email,
            "displayName", email));
    options.put("challenge", OptionsJson.base64Url(challenge));
    List<Map<String, Object>> params = new ArrayList<>();
    for (PublicKeyCredentialParameters p : ACCEPTED) {
      params.add(Map.of("type", "public-key", "alg", p.getAlg().getValue()));
    }
    options.put("pubKeyCredParams", params);
    options.put("timeout", PasskeyChallenges.LIFETIME.toMillis());
    options.put("excludeCredentials", OptionsJson.descriptors(existing));
    Map<String, Object> selection = new LinkedHashMap<>();
    selection.put("residentKey", "required");
    selection.put("requireResidentKey", true);
    selection.put("userVerification", "preferred");
    options.put("authenticatorSelection", selection);
    options.put("attestation", "none");
    options.put("extensions", Map.of("credProps", true));
    return options;
  }

  /** Verifies and stores a new credential of {@code userId}. */
  Passkey register(String userId, String json, String name) {
    RegistrationData data;
    try {
      data = webauthn.parseRegistrationResponseJSON(json);
    } catch (RuntimeException e) {
      throw PasskeyException.malformed();
    }
    AttestationObject attestation = data.getAttestationObject();
    if (data.getCollectedClientData() == null
        || attestation == null
        || attestation.getAuthenticatorData().getAttestedCredentialData() == null) {
      throw PasskeyException.malformed();
    }
    byte[] challenge = data.getCollectedClientData().getChallenge().getValue();
    if (!challenges.spend(challenge, Purpose.REGISTRATION, userId, null)) {
      throw refused("its challenge is unknown, used or expired: ask for new options");
    }
    try {
      webauthn.verify(
          data,
          new RegistrationParameters(
              rp.serverProperty(new DefaultChallenge(challenge)), ACCEPTED, false, true));
    } catch (VerificationException e) {
      throw refused(e.getClass().getSimpleName().replace("Exception", ""));
    }
    var authData = attestation.getAuthenticatorData();
    long now = clock.millis();
    boolean stored =
        db.inTransaction(
            c -> {
              if (rows.count(c, userId) >= Passkeys.MAX_PER_USER) {
                throw tooMany();
              }
              return rows.insert(
                  c,
                  userId,
                  authData.getAttestedCredentialData(),
                  authData.getFlags(),
                  authData.getSignCount(),
                  data.getTransports(),
                  name,
                  now);
            });
    if (!stored) {
      throw new PasskeyException(409, "passkey_exists", "This passkey is registered already.");
    }
    String id = OptionsJson.base64Url(authData.getAttestedCredentialData().getCredentialId());
    audit.record(
        AuditEvent.PASSKEY_REGISTERED,
        "user_id",
        userId,
        "synced",
        authData.isFlagBE(),
        "aaguid",
        authData.getAttestedCredentialData().getAaguid().toString());
    return new Passkey(
        id,
        name,
        Instant.ofEpochMilli(now),
        null,
        data.getTransports() == null
            ? List.of()
            : data.getTransports().stream().map(t -> t.getValue()).sorted().toList(),
        authData.isFlagBE());
  }

  private static PasskeyException refused(String why) {
    return new PasskeyException(
        400, "passkey_refused", "The passkey was not registered: " + why + ".");
  }

  private static PasskeyException tooMany() {
    return new PasskeyException(
        409,
        "too_many_passkeys",
        "An account has at most " + Passkeys.MAX_PER_USER + " passkeys: remove one first.");
  }
}
