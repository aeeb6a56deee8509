-- Issue 22: a sign-in whose password was right and that waits for a second step. Any instance can
-- finish it. Only SHA-256 hashes of the opaque token (given to the client) and of the browser
-- binding (an HttpOnly cookie of the browser that started it) are stored. completed_at is set by
-- the one successful step (a conditional update); failed_codes counts wrong codes, and the row is
-- deleted at the fifth. methods: the second-step methods offered, space-separated. Times: epoch ms.
CREATE TABLE pending_sign_ins (
  token_hash VARCHAR(64) PRIMARY KEY,
  user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  binding_hash VARCHAR(64) NOT NULL,
  methods VARCHAR(100) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  completed_at BIGINT,
  failed_codes INT NOT NULL DEFAULT 0
);

CREATE INDEX pending_sign_ins_expires ON pending_sign_ins (expires_at);
