-- refresh-throttle branch. Brute-force throttling, shared by every auth server instance.
-- throttle_key is 'a:' or 'i:' + base64url(SHA-256(normalised email or client address)):
-- neither emails nor addresses are stored in clear. Times are epoch milliseconds.
CREATE TABLE login_throttle (
  throttle_key VARCHAR(64) PRIMARY KEY,
  failures INT NOT NULL,
  locked_until BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE INDEX login_throttle_expires ON login_throttle (expires_at);
