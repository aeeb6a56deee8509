package dev.latchkey.verifier.wire;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.token.DPoPTokenError;
import java.util.Set;

/**
 * The DPoP wire (RFC 9449): {@code Authorization: DPoP <token>} with a {@code DPoP} proof header;
 * refusals challenged with {@code WWW-Authenticate: DPoP …, error="…", algs="…"} and, when server
 * nonces are on, a {@code DPoP-Nonce} header.
 */
public final class Dpop {
  /** The request header carrying the proof. */
  public static final String PROOF_HEADER = "DPoP";

  /** The response header carrying the server nonce. */
  public static final String NONCE_HEADER = "DPoP-Nonce";

  /** The authorization scheme of bound tokens. */
  public static final String SCHEME = "DPoP";

  private Dpop() {}

  /**
   * The token of an {@code Authorization: DPoP <token>} value, as {@link BearerToken#parse} does
   * for {@code Bearer}: {@code ""} for a bare {@code DPoP}, null for another scheme or no header.
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

  /** The header value that sends {@code token} with the DPoP scheme. */
  public static String headerValue(String token) {
    return SCHEME + " " + token;
  }

  /**
   * A {@code DPoP} challenge (built by the Nimbus OAuth SDK): {@code DPoP realm="…"} and, for a
   * judged request, {@code error} and {@code error_description} (a fixed text without quotes);
   * {@code algs} lists the accepted proof algorithms.
   */
  public static String challenge(
      String realm, String error, String description, Set<JWSAlgorithm> algorithms) {
    DPoPTokenError e =
        new DPoPTokenError(error, error == null ? null : description, 401)
            .setRealm(ErrorResponse.checkedRealm(realm))
            .setJWSAlgorithms(algorithms);
    return e.toWWWAuthenticateHeader();
  }
}
