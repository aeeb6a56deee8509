-- One key policy for every instance and operator command: the settings that shape shared state,
-- stored at the first start of an auth server. One row (id = 1). Durations are milliseconds;
-- issuer NULL means "the server's public URL".
CREATE TABLE key_policy (
  id INT PRIMARY KEY,
  algorithm VARCHAR(16) NOT NULL,
  rotation_period_ms BIGINT NOT NULL,
  jwks_max_age_ms BIGINT NOT NULL,
  session_length_ms BIGINT NOT NULL,
  audience VARCHAR(512) NOT NULL,
  issuer VARCHAR(2048),
  updated_at BIGINT NOT NULL,
  -- the public URL the last auth server started with (not part of the policy: operator commands
  -- such as "latchkey token" use it for the issuer when the policy's issuer is NULL)
  public_url VARCHAR(2048),
  CONSTRAINT key_policy_one_row CHECK (id = 1)
);
