package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.KeySourceException;

/** The key source holds no usable key: never fetched successfully, or outage window exceeded. */
public final class KeysUnavailableException extends KeySourceException {
  private static final long serialVersionUID = 1L;

  public KeysUnavailableException(String message) {
    super(message);
  }
}
