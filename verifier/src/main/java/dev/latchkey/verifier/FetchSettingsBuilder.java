package dev.latchkey.verifier;

import java.time.Duration;

/**
 * The settings every fetched document has ({@link JwksSettings}, {@link RevocationSettings}): the
 * bounds of one fetch and how often the background thread looks whether one is due.
 *
 * @param <B> the settings' own builder
 */
abstract class FetchSettingsBuilder<B extends FetchSettingsBuilder<B>> {
  Duration connectTimeout = Defaults.JWKS_CONNECT_TIMEOUT;
  Duration readTimeout = Defaults.JWKS_READ_TIMEOUT;
  int maxResponseBytes;
  Duration backgroundCheck;

  FetchSettingsBuilder(int maxResponseBytes, Duration backgroundCheck) {
    this.maxResponseBytes = maxResponseBytes;
    this.backgroundCheck = backgroundCheck;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  public B connectTimeout(Duration timeout) {
    this.connectTimeout = timeout;
    return self();
  }

  /** The whole response: headers and body. */
  public B readTimeout(Duration timeout) {
    this.readTimeout = timeout;
    return self();
  }

  /** A bigger body is refused unread (declared length) or at the cap (chunked). */
  public B maxResponseBytes(int bytes) {
    this.maxResponseBytes = bytes;
    return self();
  }

  /** The longest the background thread sleeps before looking whether a fetch is due. */
  public B backgroundCheck(Duration period) {
    this.backgroundCheck = period;
    return self();
  }
}
