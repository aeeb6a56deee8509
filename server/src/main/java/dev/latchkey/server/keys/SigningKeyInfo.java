package dev.latchkey.server.keys;

import java.time.Instant;

/**
 * What is known about a signing key, without its private part.
 *
 * @param activatesAt when a {@code NEXT} key is due to start signing
 * @param removesAt when a {@code RETIRED} key leaves the JWK Set (its last token's expiry plus the
 *     clock skew)
 */
public record SigningKeyInfo(
    String kid,
    String algorithm,
    KeyState state,
    Instant createdAt,
    Instant activatesAt,
    Instant activatedAt,
    Instant retiredAt,
    Instant removesAt,
    Instant revokedAt,
    String publicJwk) {

  /** One line for the command line: {@code kid state algorithm created ...}. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append(kid).append(' ').append(state.label());
    s.append(' ').append(algorithm).append(" created=").append(createdAt);
    append(s, "activates", state == KeyState.NEXT ? activatesAt : null);
    append(s, "activated", activatedAt);
    append(s, "retired", retiredAt);
    append(s, "removes", state == KeyState.RETIRED ? removesAt : null);
    append(s, "revoked", revokedAt);
    return s.toString();
  }

  private static void append(StringBuilder s, String label, Instant at) {
    if (at != null) {
      s.append(' ').append(label).append('=').append(at);
    }
  }
}
