package dev.latchkey.server.tokens;

/**
 * Who the session tokens name: their {@code iss} and {@code aud} claims.
 *
 * @param issuer the {@code iss} claim and discovery issuer, without a trailing slash; {@code null}
 *     means the server's base URL {@code http://<host>:<port>}
 * @param audience the {@code aud} claim
 */
public record TokenSettings(String issuer, String audience) {

  public TokenSettings {
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
    return new TokenSettings(v, audience);
  }

  public TokenSettings withAudience(String v) {
    return new TokenSettings(issuer, v);
  }

  /** The issuer actually used: the configured one, else {@code baseUrl}. */
  public String effectiveIssuer(String baseUrl) {
    return issuer != null ? issuer : baseUrl;
  }
}
