-- refresh-throttle branch. Server-side sessions (sid = the tokens' sid claim) and refresh
-- token families. Refresh tokens are stored only as base64url(SHA-256(token)). Times: epoch ms.
CREATE TABLE sessions (
  sid VARCHAR(64) PRIMARY KEY,
  user_id VARCHAR(36) NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  idle_expires_at BIGINT NOT NULL,
  absolute_expires_at BIGINT NOT NULL,
  -- exp of the newest access token of the session: the feed lists a revoked sid until then
  access_expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revoke_reason VARCHAR(32),
  -- the family's one current refresh token; NULL without refresh or once the session ended
  refresh_hash VARCHAR(64) UNIQUE,
  refresh_rotated_at BIGINT
);

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_revoked ON sessions (revoked_at);

-- Every rotated refresh token: presenting one again is reuse (or a parallel tab within grace).
CREATE TABLE spent_refresh_tokens (
  token_hash VARCHAR(64) PRIMARY KEY,
  sid VARCHAR(64) NOT NULL REFERENCES sessions (sid) ON DELETE CASCADE,
  spent_at BIGINT NOT NULL
);

CREATE INDEX spent_refresh_tokens_sid ON spent_refresh_tokens (sid);
