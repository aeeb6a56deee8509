package dev.latchkey.server.keys;

/**
 * The life of a signing key: {@code NEXT} (published, not signing) → {@code ACTIVE} (signing) →
 * {@code RETIRED} (published until its tokens expired) → {@code GONE}; {@code REVOKED} at any time
 * removes it from the JWK Set at once.
 */
public enum KeyState {
  NEXT,
  ACTIVE,
  RETIRED,
  GONE,
  REVOKED;

  /** Whether a key in this state appears in the JWK Set. */
  public boolean published() {
    return this == NEXT || this == ACTIVE || this == RETIRED;
  }

  /** The state in lower case, as operators read it. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
