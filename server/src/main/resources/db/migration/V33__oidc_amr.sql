-- Issue 23: how the user signed in (RFC 8176 amr values, space-separated, as sessions.amr) travels
-- from the hosted page's session to the single-sign-on session made from it, to each code issued
-- from that, and to the grant a code's redemption records, so that a client's access token and ID
-- token say "pwd" or "pwd otp mfa" as the first-party session does, refreshed ones too. NULL: none.
ALTER TABLE oidc_sso_sessions ADD COLUMN amr VARCHAR(40);
ALTER TABLE oidc_codes ADD COLUMN amr VARCHAR(40);
ALTER TABLE oidc_grants ADD COLUMN amr VARCHAR(40);
