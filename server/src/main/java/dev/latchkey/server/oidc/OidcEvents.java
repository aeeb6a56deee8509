package dev.latchkey.server.oidc;

/**
 * Told how each request to the OpenID provider's endpoints ended (the metrics), in a small fixed
 * set of words. Never given a client id, a user, a code or a token.
 */
public interface OidcEvents {
  /** A code was issued (the browser was signed in). */
  String CODE = "code";

  /** The browser was sent to the hosted login page. */
  String LOGIN_PAGE = "login_page";

  /** {@code prompt=none} without a sign-in: {@code login_required} to the client. */
  String LOGIN_REQUIRED = "login_required";

  /** An unknown {@code client_id}: an error page, no redirect. */
  String UNKNOWN_CLIENT = "unknown_client";

  /** A {@code redirect_uri} the client did not register: an error page, no redirect. */
  String REDIRECT_URI_MISMATCH = "redirect_uri_mismatch";

  /** Any other error, sent back to the client ({@code invalid_request}, no PKCE, …). */
  String REFUSED = "refused";

  /** The authorization outcomes, as {@link #authorization} is told them. */
  String[] AUTHORIZATION_OUTCOMES = {
    CODE, LOGIN_PAGE, LOGIN_REQUIRED, UNKNOWN_CLIENT, REDIRECT_URI_MISMATCH, REFUSED
  };

  /** The token endpoint's grants: the two supported, and {@code other} (unsupported, unread). */
  String[] GRANTS = {"authorization_code", "refresh_token", "other"};

  /** Tokens were issued. */
  String ISSUED = "issued";

  /** A code presented a second time: refused, and what its first use issued revoked. */
  String CODE_REUSED = "code_reused";

  /**
   * The token endpoint's outcomes: {@link #ISSUED}, {@link #CODE_REUSED}, or the RFC 6749 §5.2
   * error.
   */
  String[] TOKEN_OUTCOMES = {
    ISSUED,
    CODE_REUSED,
    "invalid_grant",
    "invalid_client",
    "invalid_request",
    "unsupported_grant_type"
  };

  /** An authorization request ended with one of {@link #AUTHORIZATION_OUTCOMES}. */
  void authorization(String outcome);

  /**
   * A token request ended: {@code grant} one of {@link #GRANTS}, {@code outcome} one of {@link
   * #TOKEN_OUTCOMES} (another error is counted as {@code invalid_request}).
   */
  void token(String grant, String outcome);

  /** Tells nothing. */
  OidcEvents NONE =
      new OidcEvents() {
        @Override
        public void authorization(String outcome) {}

        @Override
        public void token(String grant, String outcome) {}
      };
}
