package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.verifier.internal.fetch.BoundedGet;
import dev.latchkey.verifier.internal.fetch.Endpoint;
import dev.latchkey.verifier.internal.fetch.JsonDepth;
import dev.latchkey.verifier.internal.fetch.SourceStats;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys found through an issuer's discovery document ({@code
 * <issuer>/.well-known/openid-configuration}): its {@code issuer} must equal the configured issuer
 * exactly, and its {@code jwks_uri} (http or https) becomes a JWK Set source. Discovery runs on
 * first use, not at start-up, so an application starts while its auth server is down; until it
 * succeeds the source has no key ({@code keys_unavailable}, 503), and failed attempts are spaced by
 * {@code minInterval}. Once found, the JWK Set URL is kept for the life of the verifier.
 */
public final class DiscoveredKeySource implements KeySource {
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveredKeySource.class);

  private final Endpoint discovery;
  private final String issuer;
  private final Function<URI, KeySource> jwksSource;
  private final Duration minInterval;
  private final LongSupplier ticker;
  private final BoundedGet http;
  private final List<Runnable> removedListeners = new CopyOnWriteArrayList<>();
  private volatile KeySource delegate;
  private long lastAttempt;
  private boolean attempted;
  private long failures;
  private boolean closed;

  public DiscoveredKeySource(
      Endpoint discovery,
      String issuer,
      Function<URI, KeySource> jwksSource,
      Duration minInterval,
      LongSupplier ticker) {
    this.discovery = discovery;
    this.issuer = issuer;
    this.jwksSource = jwksSource;
    this.minInterval = minInterval;
    this.ticker = ticker;
    this.http =
        new BoundedGet(
            discovery.connectTimeout(), discovery.readTimeout(), discovery.maxResponseBytes());
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context)
      throws KeysUnavailableException {
    KeySource d = discovered();
    if (d == null) {
      throw new KeysUnavailableException("issuer discovery has not succeeded");
    }
    try {
      return d.get(selector, context);
    } catch (KeysUnavailableException e) {
      throw e;
    } catch (com.nimbusds.jose.KeySourceException e) {
      throw new KeysUnavailableException(e.getMessage());
    }
  }

  @Override
  public boolean usable() {
    KeySource d = delegate;
    return d != null && d.usable();
  }

  @Override
  public boolean refreshNow() {
    KeySource d = discovered();
    return d != null && d.refreshNow();
  }

  @Override
  public void onKeysRemoved(Runnable listener) {
    removedListeners.add(listener);
    KeySource d = delegate;
    if (d != null) {
      d.onKeysRemoved(listener);
    }
  }

  @Override
  public synchronized SourceStats stats() {
    KeySource d = delegate;
    if (d != null) {
      return d.stats();
    }
    return new SourceStats(0, failures, 0, null);
  }

  @Override
  public synchronized void close() {
    closed = true;
    KeySource d = delegate;
    if (d != null) {
      d.close();
    }
  }

  /** The JWK Set source, discovering it first if due; null while discovery fails. */
  private KeySource discovered() {
    KeySource d = delegate;
    if (d != null) {
      return d;
    }
    synchronized (this) {
      if (delegate != null || closed) {
        return delegate;
      }
      long now = ticker.getAsLong();
      if (attempted && now - lastAttempt < minInterval.toNanos()) {
        return null;
      }
      attempted = true;
      lastAttempt = now;
      try {
        URI jwks = jwksUri(http.get(discovery.uri(), discovery.accept()));
        KeySource source = jwksSource.apply(jwks);
        removedListeners.forEach(source::onKeysRemoved);
        LOG.info("issuer {} discovered: JWK Set at {}", issuer, jwks);
        delegate = source;
        return source;
      } catch (IOException | ParseException | IllegalArgumentException e) {
        failures++;
        LOG.warn("issuer discovery at {} failed: {}", discovery.uri(), e.getMessage());
        return null;
      }
    }
  }

  private URI jwksUri(byte[] body) throws IOException, ParseException {
    if (!JsonDepth.within(body, discovery.maxJsonDepth())) {
      throw new IOException("discovery document nested too deeply");
    }
    Map<String, Object> doc = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
    if (!issuer.equals(doc.get("issuer"))) {
      throw new IOException("discovery document names another issuer");
    }
    if (!(doc.get("jwks_uri") instanceof String jwks)) {
      throw new IOException("discovery document has no jwks_uri");
    }
    URI uri = URI.create(jwks);
    String scheme = uri.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IOException("jwks_uri is not http or https");
    }
    return uri;
  }
}
