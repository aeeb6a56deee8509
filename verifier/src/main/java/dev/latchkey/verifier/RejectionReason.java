package dev.latchkey.verifier;

import dev.latchkey.verifier.wire.ErrorResponse;

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
      "key_refetch_limited", "The token's signing key is not known yet; retry shortly"),
  /**
   * A DPoP-bound token (one with {@code cnf.jkt}) sent as {@code Bearer}, or any token sent as
   * {@code Bearer} (or in a cookie) to a verifier that requires DPoP.
   */
  DPOP_REQUIRED("dpop_required", "The token must be sent with the DPoP scheme and a proof"),
  /** {@code Authorization: DPoP} with a token that is not bound to a key (no {@code cnf.jkt}). */
  DPOP_TOKEN_NOT_BOUND("dpop_token_not_bound", "The token is not bound to a DPoP key"),
  /** {@code Authorization: DPoP} without a {@code DPoP} proof header. */
  DPOP_PROOF_MISSING("dpop_proof_missing", "A DPoP proof is required"),
  /**
   * The proof is not a well-formed DPoP proof: not one compact JWS of bounded size, {@code typ} not
   * {@code dpop+jwt}, no public {@code jwk} (or one with private parts), a missing claim, several
   * {@code DPoP} headers.
   */
  DPOP_PROOF_MALFORMED("dpop_proof_malformed", "The DPoP proof is not well-formed"),
  /** The proof's {@code alg} is not an allowed asymmetric algorithm (never none or HMAC). */
  DPOP_PROOF_DISALLOWED_ALGORITHM(
      "dpop_proof_disallowed_algorithm", "The DPoP proof algorithm is not allowed"),
  /** The proof's signature does not verify with the key in its own {@code jwk} header. */
  DPOP_PROOF_BAD_SIGNATURE("dpop_proof_bad_signature", "The DPoP proof signature is invalid"),
  /** The proof's {@code htm} is not this request's method. */
  DPOP_PROOF_WRONG_METHOD("dpop_proof_wrong_method", "The DPoP proof is for another method"),
  /** The proof's {@code htu} is not this request's URL (normalised, without query). */
  DPOP_PROOF_WRONG_URL("dpop_proof_wrong_url", "The DPoP proof is for another URL"),
  /** The proof's {@code iat} is outside the accepted window around now. */
  DPOP_PROOF_STALE("dpop_proof_stale", "The DPoP proof is too old or from the future"),
  /** The proof's {@code jti} was already used within the window (on this instance). */
  DPOP_PROOF_REPLAYED("dpop_proof_replayed", "The DPoP proof was already used"),
  /** The proof's {@code ath} is missing or is not the hash of the presented token. */
  DPOP_PROOF_WRONG_TOKEN("dpop_proof_wrong_token", "The DPoP proof is for another token"),
  /** The proof's key is not the one the token is bound to ({@code cnf.jkt}). */
  DPOP_PROOF_WRONG_KEY("dpop_proof_wrong_key", "The DPoP proof is signed by another key"),
  /**
   * Server nonces are on and the proof carries no nonce or a stale one: retry with the {@code
   * DPoP-Nonce} of the answer (RFC 9449 §9).
   */
  DPOP_NONCE_REQUIRED("use_dpop_nonce", "A DPoP proof with the server's current nonce is required"),
  /**
   * More distinct proofs arrived within one window than the replay cache holds: refused (503)
   * rather than forgetting a proof that could then be replayed.
   */
  DPOP_REPLAY_CACHE_FULL(
      "dpop_replay_cache_full", "Too many DPoP proofs to check right now; retry shortly");

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
    return this == KEYS_UNAVAILABLE
        || this == KEY_REFETCH_LIMITED
        || this == DPOP_REPLAY_CACHE_FULL;
  }

  /** Whether the refusal concerns DPoP (answered with a {@code DPoP} challenge). */
  public boolean dpop() {
    return name().startsWith("DPOP_");
  }

  /**
   * The {@code error} of the {@code WWW-Authenticate} challenge (RFC 6750 §3.1, RFC 9449 §7.1):
   * {@code invalid_dpop_proof} for a refused proof, {@code use_dpop_nonce} when a nonce is needed,
   * {@code invalid_token} otherwise.
   */
  public String challengeError() {
    if (this == DPOP_NONCE_REQUIRED) {
      return "use_dpop_nonce";
    }
    return name().startsWith("DPOP_PROOF_") ? "invalid_dpop_proof" : "invalid_token";
  }

  /**
   * The {@code Retry-After} seconds of a retryable reason: 30 for {@link #KEYS_UNAVAILABLE}, 6 (one
   * refetch window at the default 10 fetches a minute) for {@link #KEY_REFETCH_LIMITED} and {@link
   * #DPOP_REPLAY_CACHE_FULL}.
   */
  public int retryAfterSeconds() {
    return this == KEY_REFETCH_LIMITED || this == DPOP_REPLAY_CACHE_FULL ? 6 : 30;
  }

  /**
   * The JSON body of this refusal ({@link ErrorResponse}): {@code error} and {@code message}, and
   * for a token not judged (503) {@code retryAfter} as well.
   */
  public String body() {
    return retryable()
        ? ErrorResponse.retryBody(code, message, retryAfterSeconds())
        : ErrorResponse.body(code, message);
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
