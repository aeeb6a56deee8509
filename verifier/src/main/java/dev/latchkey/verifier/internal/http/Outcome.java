package dev.latchkey.verifier.internal.http;

import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.VerifiedToken;
import java.util.Map;

/**
 * What an adapter does with a request: continue (with or without a token, setting {@code headers}
 * on the answer) or answer with {@code status}, {@code headers} and a JSON {@code body}.
 *
 * @param token the verified token, or null
 * @param proceed true when the request continues to the handler
 * @param status the status to answer with when not proceeding
 * @param headers headers to set on the answer: a refusal's, or an accepted DPoP request's {@code
 *     DPoP-Nonce}
 * @param body the JSON body when not proceeding
 * @param reason the rejection reason, or null (no token, XSRF failure, accepted)
 */
public record Outcome(
    VerifiedToken token,
    boolean proceed,
    int status,
    Map<String, String> headers,
    String body,
    RejectionReason reason) {

  /** Continue with this verified token. */
  public static Outcome accepted(VerifiedToken token) {
    return accepted(token, Map.of());
  }

  /** Continue with this verified token, setting {@code headers} on the answer. */
  static Outcome accepted(VerifiedToken token, Map<String, String> headers) {
    return new Outcome(token, true, 200, headers, null, null);
  }

  static Outcome anonymous() {
    return new Outcome(null, true, 200, Map.of(), null, null);
  }

  static Outcome refuse(int status, Map<String, String> headers, String body, RejectionReason r) {
    return new Outcome(null, false, status, headers, body, r);
  }
}
