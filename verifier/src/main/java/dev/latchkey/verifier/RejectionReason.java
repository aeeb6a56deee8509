package dev.latchkey.verifier;

/**
 * Why a token was refused. Each reason has a stable wire code (sent as the {@code error} member of
 * the JSON body and logged) and a fixed human message (sent as {@code error_description}); neither
 * ever contains any part of the token.
 */
public enum RejectionReason {
  /** Not a compact JWS of bounded size: parts count, base64url, JSON, depth, length, crit. */
  MALFORMED("malformed", "The token is not a well-formed signed JWT"),
  /** The signature does not verify with the key the token names. */
  BAD_SIGNATURE("bad_signature", "The token signature is invalid"),
  /** No key of the configured source matches the token's kid (after a rate-limited refetch). */
  UNKNOWN_KEY("unknown_key", "The token was signed with an unknown key"),
  /** The header's alg is not in the configured allow-list (this includes none). */
  DISALLOWED_ALGORITHM("disallowed_algorithm", "The token algorithm is not allowed"),
  /** The header's typ is missing or not one of the allowed types (default at+jwt). */
  WRONG_TYPE("wrong_type", "The token type is not allowed"),
  /** exp is in the past, beyond the clock skew. */
  EXPIRED("expired", "The token has expired"),
  /** nbf or iat is in the future, beyond the clock skew. */
  NOT_YET_VALID("not_yet_valid", "The token is not valid yet"),
  /** iss is not exactly the configured issuer. */
  WRONG_ISSUER("wrong_issuer", "The token issuer is not accepted"),
  /** aud does not contain the configured audience. */
  WRONG_AUDIENCE("wrong_audience", "The token audience is not accepted"),
  /** A required claim (exp, sub, iss, aud) is absent. */
  MISSING_CLAIM("missing_claim", "The token lacks a required claim"),
  /** The application's isRevoked hook said so (called only for validly signed tokens). */
  REVOKED("revoked", "The token has been revoked"),
  /** The key source could not provide any usable key (JWKS endpoint down beyond the window). */
  KEYS_UNAVAILABLE("keys_unavailable", "The signing keys are temporarily unavailable"),
  /**
   * The token names a key not held, and the rate-limited refetch could not run yet (or failed): the
   * key may be brand new (e.g. right after an emergency key revocation); retry shortly.
   */
  KEY_REFETCH_LIMITED(
      "key_refetch_limited", "The token's signing key is not known yet; retry shortly");

  private final String code;
  private final String message;

  RejectionReason(String code, String message) {
    this.code = code;
    this.message = message;
  }

  /** The wire code, e.g. {@code "bad_signature"}. */
  public String code() {
    return code;
  }

  /** A fixed, token-free description suitable for {@code error_description}. */
  public String message() {
    return message;
  }

  /**
   * The HTTP status an adapter answers with: 401 for every judgement on the token, 503 for {@link
   * #KEYS_UNAVAILABLE} and {@link #KEY_REFETCH_LIMITED} (the token was not judged; a 401 would make
   * clients drop valid sessions during an auth-server outage).
   */
  public int httpStatus() {
    return retryable() ? 503 : 401;
  }

  /** Whether the token was not judged (answered 503 + Retry-After): a client should retry. */
  public boolean retryable() {
    return this == KEYS_UNAVAILABLE || this == KEY_REFETCH_LIMITED;
  }

  /**
   * The {@code Retry-After} seconds of a retryable reason: 30 for {@link #KEYS_UNAVAILABLE}, 6 (one
   * refetch window at the default 10 fetches a minute) for {@link #KEY_REFETCH_LIMITED}.
   */
  public int retryAfterSeconds() {
    return this == KEY_REFETCH_LIMITED ? 6 : 30;
  }

  /** The reason with the given wire code. */
  public static RejectionReason fromCode(String code) {
    for (RejectionReason r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown rejection code");
  }
}
