package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.proc.SecurityContext;
import dev.latchkey.verifier.internal.fetch.Endpoint;
import dev.latchkey.verifier.internal.fetch.PolledDocument;
import dev.latchkey.verifier.internal.fetch.PolledDocument.Held;
import dev.latchkey.verifier.internal.fetch.Schedule;
import dev.latchkey.verifier.internal.fetch.SourceStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWK Set URL, with Latchkey's policy on top of the {@link PolledDocument} (which owns
 * the thread, the refresh-ahead schedule, the rate limit and single-flight):
 *
 * <ul>
 *   <li>a token whose kid is held never waits on a fetch;
 *   <li>an unknown kid triggers a refetch, rate-limited and single-flight, so a flood of random
 *       kids costs at most one fetch per window;
 *   <li>held keys stay usable until {@code usableFor} (TTL + outage window) after their fetch, even
 *       while every fetch fails;
 *   <li>only asymmetric signature keys are kept, public parts only, at most {@code maxKeys}.
 * </ul>
 */
public final class JwksKeySource implements KeySource, PolledDocument.Reader<JWKSet> {
  private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

  private final Endpoint endpoint;
  private final Duration usableFor;
  private final int maxKeys;
  private final RemovedKeys removed = new RemovedKeys();
  private final PolledDocument<JWKSet> document;

  /**
   * @param usableFor how long after their fetch held keys verify (TTL + outage window)
   * @param maxKeys keys held at most; more are trimmed (logged)
   */
  public JwksKeySource(
      Endpoint endpoint, Schedule schedule, Duration usableFor, int maxKeys, LongSupplier ticker) {
    this.endpoint = endpoint;
    this.usableFor = usableFor;
    this.maxKeys = maxKeys;
    this.document = new PolledDocument<>("jwks", endpoint, schedule, this, ticker).start();
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context)
      throws KeysUnavailableException {
    Held<JWKSet> held = document.held();
    if (held == null || !usable(held)) {
      held = document.fetchSpaced();
      if (held == null || !usable(held)) {
        throw new KeysUnavailableException(
            held == null ? "no JWK Set fetched yet" : "JWK Set outage window exceeded");
      }
    } else {
      document.refreshIfDue();
    }
    List<JWK> found = selector.select(held.value());
    if (found.isEmpty()) {
      // Unknown kid: maybe the issuer rotated.
      Held<JWKSet> fresh = document.fetchSpaced();
      if (fresh != null && fresh != held) {
        found = selector.select(fresh.value());
      }
    }
    return found;
  }

  @Override
  public boolean usable() {
    document.refreshIfDue(); // callers that skip get(), like the token cache, keep it fresh
    Held<JWKSet> held = document.held();
    return held != null && usable(held);
  }

  @Override
  public boolean refreshNow() {
    return document.fetchSpaced() != null;
  }

  @Override
  public void onKeysRemoved(Runnable listener) {
    removed.add(listener);
  }

  @Override
  public SourceStats stats() {
    Held<JWKSet> held = document.held();
    return document.stats(held == null ? 0 : held.value().size());
  }

  @Override
  public void close() {
    document.close();
  }

  private boolean usable(Held<JWKSet> held) {
    return document.ageNanos(held) < usableFor.toNanos();
  }

  @Override
  public JWKSet read(JWKSet held, byte[] body) throws IOException, ParseException {
    JWKSet parsed = JWKSet.parse(new String(body, StandardCharsets.UTF_8));
    List<JWK> keys = new ArrayList<>();
    for (JWK key : parsed.getKeys()) {
      // Only asymmetric signature keys; a symmetric key in a public set is never used.
      boolean asymmetric = key.getKeyType() != KeyType.OCT;
      boolean signing = key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse());
      if (asymmetric && signing) {
        keys.add(key.toPublicJWK());
      }
    }
    if (keys.isEmpty()) {
      throw new IOException("JWK Set holds no usable signature key");
    }
    if (keys.size() > maxKeys) {
      LOG.warn(
          "JWKS {} publishes {} keys; holding the first {}", endpoint.uri(), keys.size(), maxKeys);
      keys = keys.subList(0, maxKeys);
    }
    LOG.debug("JWKS fetched from {}: {} key(s)", endpoint.uri(), keys.size());
    return new JWKSet(keys);
  }

  @Override
  public void swapped(JWKSet previous, JWKSet current) {
    if (previous != null) {
      Set<String> gone = removed.compare(previous, current);
      if (!gone.isEmpty()) {
        LOG.info("JWKS {}: {} key(s) removed", endpoint.uri(), gone.size());
      }
    }
  }
}
