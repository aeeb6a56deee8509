package dev.latchkey.verifier;

import static dev.latchkey.verifier.Checks.notNegative;
import static dev.latchkey.verifier.Checks.positive;

import java.time.Duration;

/**
 * How a JWK Set URL is fetched and held ({@link JwtVerifier#withJwksUrl}); see {@link Defaults} for
 * the defaults and their reasons.
 *
 * <pre>{@code
 * JwtVerifier.withJwksUrl(url)
 *     .jwks(JwksSettings.builder().cacheTtl(Duration.ofHours(1)).build())
 * }</pre>
 *
 * @param cacheTtl how long a fetched set is fresh
 * @param refreshAhead the background refresh starts this long before the TTL ends
 * @param maxKeys keys held at most (more are trimmed)
 * @param fetchesPerMinute the rate limit, enforced as a minimum spacing between fetches
 * @param connectTimeout connect timeout of one fetch
 * @param readTimeout whole-response timeout of one fetch
 * @param maxResponseBytes response body cap
 * @param outageWindow how long after the TTL held keys keep verifying while fetches fail
 * @param backgroundCheck upper bound between two "is a refresh due" checks of the thread
 */
public record JwksSettings(
    Duration cacheTtl,
    Duration refreshAhead,
    int maxKeys,
    int fetchesPerMinute,
    Duration connectTimeout,
    Duration readTimeout,
    int maxResponseBytes,
    Duration outageWindow,
    Duration backgroundCheck) {

  public JwksSettings {
    positive(cacheTtl, "cacheTtl");
    positive(connectTimeout, "connectTimeout");
    positive(readTimeout, "readTimeout");
    positive(backgroundCheck, "backgroundCheck");
    notNegative(outageWindow, "outageWindow");
    if (notNegative(refreshAhead, "refreshAhead").compareTo(cacheTtl) >= 0) {
      throw new IllegalArgumentException("refreshAhead must be shorter than cacheTtl");
    }
    positive(maxKeys, "maxKeys");
    positive(fetchesPerMinute, "fetchesPerMinute");
    positive(maxResponseBytes, "maxResponseBytes");
  }

  /** Every setting at its default. */
  public static JwksSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The minimum spacing of fetches that the rate limit implies. */
  public Duration minFetchInterval() {
    return Duration.ofMillis(60_000L / fetchesPerMinute);
  }

  /** Settings that differ from the defaults; the record checks them all in {@link #build}. */
  public static final class Builder extends FetchSettingsBuilder<Builder> {
    private Duration cacheTtl = Defaults.JWKS_CACHE_TTL;
    private Duration refreshAhead = Defaults.JWKS_REFRESH_AHEAD;
    private int maxKeys = Defaults.JWKS_MAX_KEYS;
    private int fetchesPerMinute = Defaults.JWKS_FETCHES_PER_MINUTE;
    private Duration outageWindow = Defaults.JWKS_OUTAGE_WINDOW;

    private Builder() {
      super(Defaults.JWKS_MAX_RESPONSE_BYTES, Defaults.JWKS_BACKGROUND_CHECK);
    }

    public Builder cacheTtl(Duration ttl) {
      this.cacheTtl = ttl;
      return this;
    }

    public Builder refreshAhead(Duration ahead) {
      this.refreshAhead = ahead;
      return this;
    }

    public Builder maxKeys(int max) {
      this.maxKeys = max;
      return this;
    }

    public Builder fetchesPerMinute(int perMinute) {
      this.fetchesPerMinute = perMinute;
      return this;
    }

    public Builder outageWindow(Duration window) {
      this.outageWindow = window;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public JwksSettings build() {
      return new JwksSettings(
          cacheTtl,
          refreshAhead,
          maxKeys,
          fetchesPerMinute,
          connectTimeout,
          readTimeout,
          maxResponseBytes,
          outageWindow,
          backgroundCheck);
    }
  }
}
