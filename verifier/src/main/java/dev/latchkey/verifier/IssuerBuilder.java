package dev.latchkey.verifier;

import dev.latchkey.verifier.internal.fetch.Endpoint;
import dev.latchkey.verifier.internal.keys.DiscoveredKeySource;
import dev.latchkey.verifier.internal.keys.KeySource;
import java.net.URI;
import java.util.Objects;

/**
 * A verifier configured from its issuer URL alone, like Spring Boot's {@code issuer-uri}: the
 * {@code iss} to require is the URL itself, and the JWK Set URL is the {@code jwks_uri} of {@code
 * <issuer>/.well-known/openid-configuration}, whose {@code issuer} must equal the URL exactly.
 * Discovery happens on first use (tokens are refused with {@code keys_unavailable}, 503, until it
 * succeeds, retried at most once per {@link JwksSettings#minFetchInterval()}); the JWK Set is then
 * fetched and held as by {@link JwksUrlBuilder}, with the same {@link JwksSettings}, which also
 * bound the discovery request.
 */
public final class IssuerBuilder extends VerifierBuilder<IssuerBuilder> {
  private static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

  private final URI issuerUri;
  private JwksSettings jwks = JwksSettings.defaults();

  IssuerBuilder(URI issuerUri) {
    this.issuerUri = Checks.httpUrl(issuerUri, "issuer URI");
    this.issuer = issuerUri.toString();
  }

  /** How the discovered set is fetched and held (and the bounds of the discovery request). */
  public IssuerBuilder jwks(JwksSettings settings) {
    this.jwks = Objects.requireNonNull(settings);
    return this;
  }

  /** Refused unless equal to the issuer URI: the URI is the issuer. */
  @Override
  public IssuerBuilder issuer(String issuer) {
    if (!issuerUri.toString().equals(issuer)) {
      throw new IllegalArgumentException("the issuer is the issuer URI " + issuerUri);
    }
    return this;
  }

  /** {@code <issuer>/.well-known/openid-configuration} (one slash between the two). */
  URI discoveryUri() {
    String base = issuerUri.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + DISCOVERY_PATH);
  }

  @Override
  KeySource keySource() {
    Endpoint discovery =
        new Endpoint(
            discoveryUri(),
            "application/json",
            jwks.connectTimeout(),
            jwks.readTimeout(),
            jwks.maxResponseBytes(),
            maxJsonDepth);
    return new DiscoveredKeySource(
        discovery,
        issuer,
        jwksUri -> JwksUrlBuilder.source(jwksUri, jwks, maxJsonDepth, ticker),
        jwks.minFetchInterval(),
        ticker);
  }
}
