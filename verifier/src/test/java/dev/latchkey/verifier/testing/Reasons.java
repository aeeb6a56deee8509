package dev.latchkey.verifier.testing;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;

/** What a verifier says about a token, as a value. */
public final class Reasons {
  private Reasons() {}

  /** Why {@code verifier} refuses {@code token}, or null when it accepts it. */
  public static RejectionReason reasonOf(JwtVerifier verifier, String token) {
    try {
      verifier.verify(token);
      return null;
    } catch (TokenRejectedException e) {
      return e.reason();
    }
  }
}
