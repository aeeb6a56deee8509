package dev.latchkey.verifier;

import static dev.latchkey.verifier.Checks.httpUrl;
import static dev.latchkey.verifier.Checks.positive;

import java.net.URI;
import java.time.Duration;

/**
 * The auth server's revocation feed and how it is polled and held ({@link
 * VerifierBuilder#revocationFeed}); see {@link Defaults} for the defaults and their reasons.
 *
 * <pre>{@code
 * .revocationFeed(RevocationSettings.builder(URI.create(issuer + "/api/revocations")).build())
 * }</pre>
 *
 * <p>An entry is held until the time the feed gives it ({@code until}, the expiry of the last token
 * it can concern) plus the verifier's clock skew: there is no retention to set.
 *
 * @param uri the feed, {@code {issuer}/api/revocations} (http or https); {@code after} is appended
 * @param pollInterval time between polls (by the monotonic ticker)
 * @param connectTimeout connect timeout of one poll
 * @param readTimeout whole-response timeout of one poll
 * @param maxResponseBytes response body cap
 * @param backgroundCheck upper bound between two "is a poll due" checks of the poller thread
 */
public record RevocationSettings(
    URI uri,
    Duration pollInterval,
    Duration connectTimeout,
    Duration readTimeout,
    int maxResponseBytes,
    Duration backgroundCheck) {

  public RevocationSettings {
    httpUrl(uri, "revocation feed URL");
    positive(pollInterval, "pollInterval");
    positive(connectTimeout, "connectTimeout");
    positive(readTimeout, "readTimeout");
    positive(maxResponseBytes, "maxResponseBytes");
    positive(backgroundCheck, "backgroundCheck");
  }

  /** Polls {@code feed} with every other setting at its default. */
  public static Builder builder(URI feed) {
    return new Builder(feed);
  }

  /** Settings that differ from the defaults; the record checks them all in {@link #build}. */
  public static final class Builder extends FetchSettingsBuilder<Builder> {
    private final URI uri;
    private Duration pollInterval = Defaults.REVOCATION_POLL_INTERVAL;

    private Builder(URI uri) {
      super(Defaults.REVOCATION_MAX_RESPONSE_BYTES, Defaults.REVOCATION_BACKGROUND_CHECK);
      this.uri = uri;
    }

    public Builder pollInterval(Duration interval) {
      this.pollInterval = interval;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public RevocationSettings build() {
      return new RevocationSettings(
          uri, pollInterval, connectTimeout, readTimeout, maxResponseBytes, backgroundCheck);
    }
  }
}
