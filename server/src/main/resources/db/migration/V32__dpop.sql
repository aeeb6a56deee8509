-- Issue 24: DPoP (RFC 9449). (V31 belongs to another branch.)
-- The key a session is bound to: the RFC 7638 SHA-256 thumbprint (base64url, 43 characters) of the
-- public key whose proofs its logins and refreshes carried. Every access token of the session
-- carries it as cnf.jkt, and a refresh must carry a proof signed by that key. NULL: not bound.
ALTER TABLE sessions ADD COLUMN dpop_jkt VARCHAR(64);

-- The DPoP proofs the auth server accepted, shared by every instance: a proof is accepted once.
-- proof_hash is base64url(SHA-256(thumbprint + ' ' + jti)); a row can be deleted once its proof is
-- stale anyway (expires_at, epoch ms; the background clean-up does).
CREATE TABLE dpop_proofs (
  proof_hash VARCHAR(64) PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX dpop_proofs_expiry ON dpop_proofs (expires_at);
