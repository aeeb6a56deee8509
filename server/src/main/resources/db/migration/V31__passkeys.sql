-- Issue 22: passkeys (WebAuthn credentials). The credential ID (base64url, as the browser's
-- PublicKeyCredential.id) is the key and what DELETE /api/passkeys/{id} names. public_key: the
-- COSE_Key (base64url of its CBOR) and aaguid: the authenticator model, both from the attested
-- credential data of the registration. sign_count: the newest signature counter seen (0 for
-- authenticators without one). uv_initialized, backup_eligible, backup_state: the UV, BE and BS
-- flags; BE never changes for a credential (an assertion whose BE differs is refused), BS is
-- updated at each use. transports: the client's hints, space-separated. Times: epoch ms.
CREATE TABLE passkeys (
  credential_id VARCHAR(1400) PRIMARY KEY,
  user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  public_key VARCHAR(2000) NOT NULL,
  aaguid VARCHAR(36) NOT NULL,
  sign_count BIGINT NOT NULL,
  uv_initialized BOOLEAN NOT NULL,
  backup_eligible BOOLEAN NOT NULL,
  backup_state BOOLEAN NOT NULL,
  transports VARCHAR(200) NOT NULL,
  name VARCHAR(100) NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- The challenges of WebAuthn ceremonies, by SHA-256 hash: single use (the first finish deletes
-- the row, whatever its outcome), short-lived, and bound to what started them. purpose:
-- registration (bound to the signed-in user), login (passwordless: bound to nothing but itself)
-- or second_step (bound to the pending sign-in, by its token hash).
CREATE TABLE passkey_challenges (
  challenge_hash VARCHAR(64) PRIMARY KEY,
  purpose VARCHAR(20) NOT NULL,
  user_id VARCHAR(36) REFERENCES users (id) ON DELETE CASCADE,
  pending_hash VARCHAR(64),
  expires_at BIGINT NOT NULL
);
CREATE INDEX passkey_challenges_expires ON passkey_challenges (expires_at);
