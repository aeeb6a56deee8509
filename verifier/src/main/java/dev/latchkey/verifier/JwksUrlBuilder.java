package dev.latchkey.verifier;

import dev.latchkey.verifier.internal.fetch.Endpoint;
import dev.latchkey.verifier.internal.fetch.Schedule;
import dev.latchkey.verifier.internal.keys.JwksKeySource;
import dev.latchkey.verifier.internal.keys.KeySource;
import java.net.URI;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A verifier whose keys come from a JWK Set URL: fetched with timeouts and a size cap, cached,
 * refreshed ahead in the background, refetched on an unknown {@code kid} under a rate limit,
 * outage-tolerant ({@link JwksSettings}). Default algorithm RS256.
 */
public final class JwksUrlBuilder extends VerifierBuilder<JwksUrlBuilder> {
  private final URI url;
  private JwksSettings jwks = JwksSettings.defaults();

  JwksUrlBuilder(URI url) {
    this.url = Checks.httpUrl(url, "JWKS URL");
  }

  /** How the set is fetched and held. */
  public JwksUrlBuilder jwks(JwksSettings settings) {
    this.jwks = Objects.requireNonNull(settings);
    return this;
  }

  @Override
  KeySource keySource() {
    return source(url, jwks, maxJsonDepth, ticker);
  }

  /** A JWK Set source for {@code url} with these settings (also used after issuer discovery). */
  static KeySource source(URI url, JwksSettings jwks, int maxJsonDepth, LongSupplier ticker) {
    Endpoint endpoint =
        new Endpoint(
            url,
            "application/jwk-set+json, application/json",
            jwks.connectTimeout(),
            jwks.readTimeout(),
            jwks.maxResponseBytes(),
            maxJsonDepth);
    Schedule refreshAhead =
        new Schedule(
            jwks.cacheTtl().minus(jwks.refreshAhead()),
            jwks.minFetchInterval(),
            jwks.backgroundCheck());
    return new JwksKeySource(endpoint, refreshAhead, jwks.usableFor(), jwks.maxKeys(), ticker);
  }
}
