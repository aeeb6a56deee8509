package dev.latchkey.verifier.wire;

/** The {@code Authorization: Bearer <token>} request header (RFC 6750 §2.1). */
public final class BearerToken {
  /** The request header that carries the token in body mode. */
  public static final String HEADER = "Authorization";

  private static final String SCHEME = "Bearer";

  private BearerToken() {}

  /**
   * The token of an {@code Authorization} header value.
   *
   * @return the token (scheme matched case-insensitively, surrounding blanks stripped); {@code ""}
   *     for a bare {@code Bearer} (a token is present but malformed); {@code null} when the header
   *     is absent or names another scheme (no token at all, e.g. {@code Basic …} or {@code BearerX
   *     …})
   */
  public static String parse(String authorization) {
    if (authorization == null) {
      return null;
    }
    String v = authorization.strip();
    if (v.length() < SCHEME.length() || !v.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    if (v.length() == SCHEME.length()) {
      return "";
    }
    if (v.charAt(SCHEME.length()) != ' ') {
      return null;
    }
    return v.substring(SCHEME.length() + 1).strip();
  }

  /** The header value that sends {@code token}. */
  public static String headerValue(String token) {
    return SCHEME + " " + token;
  }
}
