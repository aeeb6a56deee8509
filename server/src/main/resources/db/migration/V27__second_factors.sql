-- Issue 22: second factors. One TOTP authenticator per user: pending (confirmed_at NULL) until a
-- code confirms it. The secret is sealed under the master key as signing keys are (AES-GCM, the
-- row's user id in the associated data). last_step is the newest accepted 30-second step: a code of
-- that step or an older one is refused (replay), whichever instance sees it.
CREATE TABLE mfa_totp (
  user_id VARCHAR(36) PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_enc VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  last_step BIGINT
);

-- Recovery codes: only a keyed hash (HMAC-SHA256 under a key derived from the master key) of each
-- code is stored; a used code keeps its row with used_at set. Regenerating deletes the old rows.
CREATE TABLE mfa_recovery_codes (
  user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (user_id, code_hash)
);
