-- Portable between H2 and PostgreSQL: times are epoch milliseconds (BIGINT).
CREATE TABLE users (
  id VARCHAR(36) PRIMARY KEY,
  email VARCHAR(320) NOT NULL UNIQUE,
  password_hash VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL,
  disabled BOOLEAN DEFAULT FALSE NOT NULL
);

CREATE TABLE signing_keys (
  kid VARCHAR(64) PRIMARY KEY,
  algorithm VARCHAR(16) NOT NULL,
  state VARCHAR(16) NOT NULL,
  public_jwk VARCHAR(8000) NOT NULL,
  private_key_enc VARCHAR(8000),
  created_at BIGINT NOT NULL,
  activates_at BIGINT,
  activated_at BIGINT,
  retired_at BIGINT,
  removes_at BIGINT,
  revoked_at BIGINT
);

CREATE INDEX signing_keys_state ON signing_keys (state);

-- One row per named lock; SELECT ... FOR UPDATE on it serialises key maintenance across instances.
CREATE TABLE latchkey_locks (
  name VARCHAR(32) PRIMARY KEY
);

INSERT INTO latchkey_locks (name) VALUES ('signing_keys');
