package dev.latchkey.server.tokens;

/**
 * Who the session tokens name: their {@code iss} and {@code aud} claims.
 *
 * @param issuer the {@code iss} claim and discovery issuer, without a trailing slash; {@code null}
 *     means the server's base URL {@code http://<host>:<port>}
 * @param audience the {@code aud} claim
 * @param type the {@code typ} header: {@code at+jwt} (explicit typing, RFC 9068; the default) or
 *     {@code JWT}, for verifiers that accept only that (Spring Boot's {@code issuer-uri} alone)
 */
public record TokenSettings(String issuer, String audience, String type) {
  /** The {@code typ} values the server can write. */
  public static final java.util.List<String> TYPES = java.util.List.of("at+jwt", "JWT");

  public TokenSettings(String issuer, String audience) {
    this(issuer, audience, TYPES.get(0));
  }

  public TokenSettings {
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("token type must be at+jwt or JWT");
    }
    if (issuer != null && issuer.isBlank()) {
      throw new IllegalArgumentException("issuer must not be blank");
    }
    if (issuer != null && issuer.endsWith("/")) {
      issuer = issuer.substring(0, issuer.length() - 1);
    }
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("audience must not be blank");
    }
  }

  /** The base URL as issuer, audience {@code latchkey-demo}. */
  public static TokenSettings defaults() {
    return new TokenSettings(null, "latchkey-demo");
  }

  public TokenSettings withIssuer(String v) {
    return new TokenSettings(v, audience, type);
  }

  public TokenSettings withAudience(String v) {
    return new TokenSettings(issuer, v, type);
  }

  public TokenSettings withType(String v) {
    return new TokenSettings(issuer, audience, v);
  }

  /** The issuer actually used: the configured one, else {@code baseUrl}. */
  public String effectiveIssuer(String baseUrl) {
    return issuer != null ? issuer : baseUrl;
  }
}
