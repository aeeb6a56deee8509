-- Issue 23: OpenID Connect. (V28 is the pending sign-ins of the second-factor work.)
-- Registered clients: a public client has no secret; a confidential one keeps only a keyed hash
-- (HMAC-SHA256 under a key derived from the master key) of its secret. Redirect URIs and
-- post-logout redirect URIs are stored one per line, compared exactly (loopback: any port).
CREATE TABLE oidc_clients (
  client_id VARCHAR(100) PRIMARY KEY,
  secret_hash VARCHAR(64),
  redirect_uris VARCHAR(8000) NOT NULL,
  post_logout_redirect_uris VARCHAR(8000) NOT NULL,
  created_at BIGINT NOT NULL
);

-- The single-sign-on sessions at the auth server: the browser holds a random value in an HttpOnly
-- cookie, the row its hash. sid is the hosted login's session it was made from.
CREATE TABLE oidc_sso_sessions (
  id_hash VARCHAR(64) PRIMARY KEY,
  user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sid VARCHAR(64) NOT NULL,
  auth_time BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ended_at BIGINT
);

-- Authorization codes, by hash: single use (used_at), short-lived, bound to the client, the
-- redirect URI and the PKCE challenge; issued_sid is the session its redemption started, revoked
-- when the code is presented again.
CREATE TABLE oidc_codes (
  code_hash VARCHAR(64) PRIMARY KEY,
  client_id VARCHAR(100) NOT NULL,
  redirect_uri VARCHAR(2000) NOT NULL,
  code_challenge VARCHAR(128) NOT NULL,
  user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sso_id_hash VARCHAR(64) NOT NULL,
  scope VARCHAR(500) NOT NULL,
  nonce VARCHAR(500),
  auth_time BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  issued_sid VARCHAR(64)
);

-- What a session issued through the token endpoint belongs to: its client (a refresh token works
-- only for it), its scopes (userinfo) and the sign-in it came from (auth_time, the SSO session).
CREATE TABLE oidc_grants (
  sid VARCHAR(64) PRIMARY KEY,
  client_id VARCHAR(100) NOT NULL,
  user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sso_id_hash VARCHAR(64) NOT NULL,
  scope VARCHAR(500) NOT NULL,
  auth_time BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX oidc_grants_sso ON oidc_grants (sso_id_hash);
