-- Issue 14: verified email, password reset, password change.
-- Accounts that existed before stay verified; sign-up creates unverified ones.
ALTER TABLE users ADD COLUMN email_verified BOOLEAN DEFAULT TRUE NOT NULL;

-- One-time links: only the SHA-256 of the token is stored. The newest link of a purpose per user
-- is the only one that works; older ones are marked superseded.
CREATE TABLE account_tokens (
  token_hash VARCHAR(64) PRIMARY KEY,
  user_id VARCHAR(36) NOT NULL,
  purpose VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  superseded_at BIGINT
);

CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expiry ON account_tokens (expires_at);

-- Fixed-window counters of account mails (per address and per account).
CREATE TABLE account_mail_throttle (
  throttle_key VARCHAR(64) PRIMARY KEY,
  window_start BIGINT NOT NULL,
  sent INT NOT NULL
);
