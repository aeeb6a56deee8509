package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.KeySourceException;

/**
 * The token names a kid the held keys lack, and the rate limit (or a failing endpoint) kept the
 * refetch from telling whether the issuer has it: retryable, not a judgement on the token.
 */
public final class KeyRefetchLimitedException extends KeySourceException {
  private static final long serialVersionUID = 1L;

  public KeyRefetchLimitedException(String message) {
    super(message);
  }
}
