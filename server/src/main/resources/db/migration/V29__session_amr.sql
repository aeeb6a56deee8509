-- Issue 22: how the user signed in (RFC 8176 amr values, space-separated, e.g. "pwd otp mfa"),
-- written at sign-in and carried into every token the session's refreshes issue. NULL: no claim
-- (sessions of the operator's token command, and rows older than this column).
ALTER TABLE sessions ADD COLUMN amr VARCHAR(40);
