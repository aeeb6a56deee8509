-- Roles granted to users, carried in the "roles" claim of their session tokens (issued from the
-- next login or refresh on). A user has any number of roles; a role is a short name.
CREATE TABLE user_roles (
  user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role VARCHAR(64) NOT NULL,
  PRIMARY KEY (user_id, role)
);
