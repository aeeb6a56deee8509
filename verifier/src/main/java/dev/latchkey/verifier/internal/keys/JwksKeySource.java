package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.KeySourceException;
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
import java.util.concurrent.ConcurrentHashMap;
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
 *       kids costs at most one fetch per window; when no new answer comes (rate limit, failure) it
 *       is {@link KeyRefetchLimitedException} (answered 503 + Retry-After), not an unknown key;
 *   <li>the cache lifetime is the smaller of the TTL and the answer's {@code Cache-Control:
 *       max-age}; a refresh is due then (earlier by the refresh-ahead when the TTL decides);
 *   <li>held keys stay usable until the cache lifetime plus the outage window after their fetch,
 *       even while every fetch fails;
 *   <li>a key the revocation feed names is forgotten at once ({@link #forget});
 *   <li>only asymmetric signature keys are kept, public parts only, at most {@code maxKeys}.
 * </ul>
 */
public final class JwksKeySource implements KeySource, PolledDocument.Reader<JWKSet> {
  private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

  private final Endpoint endpoint;
  private final Duration ttl;
  private final Duration outageWindow;
  private final int maxKeys;
  private final RemovedKeys removed = new RemovedKeys();

  /** Kids that left the set or were revoked: tokens naming them are unknown without a refetch. */
  private final Set<String> gone = ConcurrentHashMap.newKeySet();

  private final PolledDocument<JWKSet> document;

  /**
   * @param ttl the cache lifetime unless the answer's max-age is smaller
   * @param outageWindow how long beyond the cache lifetime held keys verify while fetches fail
   * @param maxKeys keys held at most; more are trimmed (logged)
   */
  public JwksKeySource(
      Endpoint endpoint,
      Schedule schedule,
      Duration ttl,
      Duration outageWindow,
      int maxKeys,
      LongSupplier ticker) {
    this.endpoint = endpoint;
    this.ttl = ttl;
    this.outageWindow = outageWindow;
    this.maxKeys = maxKeys;
    this.document = new PolledDocument<>("jwks", endpoint, schedule, this, ticker).start();
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
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
      if (isGone(selector)) {
        return found; // removed from the set, or revoked: unknown, without a refetch
      }
      // Unknown kid: maybe the issuer rotated.
      Held<JWKSet> fresh = document.fetchSpaced();
      if (fresh == null || fresh.requestedAt() == held.requestedAt()) {
        // No new answer (rate limit, or the fetch failed): we cannot tell; retryable, not a 401.
        throw new KeyRefetchLimitedException("unknown kid; JWK Set refetch not possible now");
      }
      found = selector.select(fresh.value());
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
    Duration lifetime =
        held.maxAge() != null && held.maxAge().compareTo(ttl) < 0 ? held.maxAge() : ttl;
    return document.ageNanos(held) < lifetime.plus(outageWindow).toNanos();
  }

  private boolean isGone(JWKSelector selector) {
    Set<String> kids = selector.getMatcher().getKeyIDs();
    return kids != null && !kids.isEmpty() && gone.containsAll(kids);
  }

  private void remember(Set<String> kids) {
    if (gone.size() > 64) {
      gone.clear(); // bounded: a forgotten kid then just costs a refetch again
    }
    gone.addAll(kids);
  }

  @Override
  public void forget(Set<String> kids) {
    remember(kids);
    document.update(
        set -> {
          List<JWK> kept =
              set.getKeys().stream().filter(k -> !kids.contains(k.getKeyID())).toList();
          return kept.size() == set.size() ? set : new JWKSet(kept);
        });
    removed.fire();
  }

  @Override
  public boolean honoursMaxAge() {
    return true;
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
      Set<String> removedKids = removed.compare(previous, current);
      if (!removedKids.isEmpty()) {
        remember(removedKids);
        LOG.info("JWKS {}: {} key(s) removed", endpoint.uri(), removedKids.size());
      }
      current.getKeys().forEach(k -> gone.remove(k.getKeyID()));
    }
  }
}
