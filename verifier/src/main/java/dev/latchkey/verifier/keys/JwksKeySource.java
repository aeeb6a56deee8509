package dev.latchkey.verifier.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.latchkey.verifier.JsonDepth;
import dev.latchkey.verifier.fetch.BoundedGet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Nimbus {@link JWKSource} over a JWK Set URL, with Latchkey's policy:
 *
 * <ul>
 *   <li>the set is held as an immutable snapshot read without locking, so a token whose kid is held
 *       never waits on a fetch;
 *   <li>a background refresh starts {@code refreshAhead} before the TTL ends;
 *   <li>an unknown kid triggers a refetch, but all fetches are spaced by the rate limit (one per 60
 *       s / fetchesPerMinute) and single-flight, so a flood of random kids costs at most one fetch
 *       per window;
 *   <li>a failed fetch (refused, non-200, timeout, too big, not JSON, malformed or empty set) keeps
 *       the held keys, which stay usable until TTL + outage window after their fetch.
 * </ul>
 *
 * Time comes from the injected clock; only the background check period is wall-clock.
 */
public final class JwksKeySource implements JWKSource<SecurityContext>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

  /** The held keys and when they were fetched. */
  private record Snapshot(JWKSet keys, Instant fetchedAt) {}

  private final JwksSettings settings;
  private final BoundedGet http;
  private final ScheduledExecutorService executor;
  private final AtomicLong fetchesOk = new AtomicLong();
  private final AtomicLong fetchesFailed = new AtomicLong();
  private final List<Consumer<Set<String>>> removalListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private volatile Snapshot held;

  private final Object lock = new Object();
  private CompletableFuture<Snapshot> inFlight; // guarded by lock
  private Instant lastAttempt; // guarded by lock

  public JwksKeySource(JwksSettings settings) {
    this.settings = settings;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "latchkey-jwks-" + settings.uri().getHost());
              t.setDaemon(true);
              return t;
            });
    this.http =
        new BoundedGet(
            settings.connectTimeout(), settings.readTimeout(), settings.maxResponseBytes());
    long period = settings.backgroundCheck().toMillis();
    executor.scheduleWithFixedDelay(this::backgroundCheck, period, period, TimeUnit.MILLISECONDS);
    startRefreshIfAllowed(settings.clock().instant()); // fetch at start-up, in the background
  }

  /** Called with the kids that disappeared from the set after a refresh (e.g. to clear caches). */
  public void onKeysRemoved(Consumer<Set<String>> listener) {
    removalListeners.add(listener);
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context)
      throws KeysUnavailableException {
    Instant now = settings.clock().instant();
    Snapshot s = held;
    if (s == null || !usable(s, now)) {
      s = fetchIfAllowed(now);
      if (s == null || !usable(s, settings.clock().instant())) {
        throw new KeysUnavailableException(
            s == null ? "no JWK Set fetched yet" : "JWK Set outage window exceeded");
      }
    } else if (!now.isBefore(refreshAt(s))) {
      startRefreshIfAllowed(now);
    }
    List<JWK> found = selector.select(s.keys());
    if (found.isEmpty()) {
      // Unknown kid: maybe the issuer rotated. Refetch, rate-limited and single-flight.
      Snapshot fresh = fetchIfAllowed(now);
      if (fresh != null && fresh != s) {
        found = selector.select(fresh.keys());
      }
    }
    return found;
  }

  /**
   * True when held keys exist and are within TTL + outage window; starts a background refresh when
   * one is due (so callers that skip {@link #get}, like the verified-token cache, keep it fresh).
   */
  public boolean usable() {
    Snapshot s = held;
    Instant now = settings.clock().instant();
    if (s != null && !now.isBefore(refreshAt(s))) {
      startRefreshIfAllowed(now);
    }
    return s != null && usable(s, now);
  }

  /**
   * Fetches now unless a fetch is in flight or the rate limit forbids; returns whether keys are
   * held.
   */
  public boolean refreshNow() {
    return fetchIfAllowed(settings.clock().instant()) != null;
  }

  public long fetchesOk() {
    return fetchesOk.get();
  }

  public long fetchesFailed() {
    return fetchesFailed.get();
  }

  public int keysHeld() {
    Snapshot s = held;
    return s == null ? 0 : s.keys().size();
  }

  /** Age of the held keys, or null when none were ever fetched. */
  public Duration keysAge() {
    Snapshot s = held;
    return s == null ? null : Duration.between(s.fetchedAt(), settings.clock().instant());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private boolean usable(Snapshot s, Instant now) {
    return now.isBefore(s.fetchedAt().plus(settings.cacheTtl()).plus(settings.outageWindow()));
  }

  private Instant refreshAt(Snapshot s) {
    return s.fetchedAt().plus(settings.cacheTtl()).minus(settings.refreshAhead());
  }

  private void backgroundCheck() {
    try {
      Instant now = settings.clock().instant();
      Snapshot s = held;
      if (s == null || !now.isBefore(refreshAt(s))) {
        startRefreshIfAllowed(now);
      }
    } catch (RuntimeException e) {
      LOG.warn("JWKS background check failed: {}", e.toString());
    }
  }

  /** Starts a fetch if allowed; returns the in-flight fetch (new or existing) or null. */
  private CompletableFuture<Snapshot> startRefreshIfAllowed(Instant now) {
    synchronized (lock) {
      if (inFlight != null) {
        return inFlight;
      }
      if (lastAttempt != null && now.isBefore(lastAttempt.plus(settings.minFetchInterval()))) {
        return null;
      }
      lastAttempt = now;
      CompletableFuture<Snapshot> f = new CompletableFuture<>();
      inFlight = f;
      try {
        executor.execute(
            () -> {
              Snapshot result = null;
              try {
                result = fetchAndSwap();
              } finally {
                synchronized (lock) {
                  inFlight = null;
                }
                f.complete(result);
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        inFlight = null;
        f.complete(held);
      }
      return f;
    }
  }

  /** Waits (bounded) for a fetch when one is allowed or in flight; returns the keys then held. */
  private Snapshot fetchIfAllowed(Instant now) {
    CompletableFuture<Snapshot> f = startRefreshIfAllowed(now);
    if (f == null) {
      return held;
    }
    long wait = settings.connectTimeout().plus(settings.readTimeout()).toMillis() + 500;
    try {
      f.get(wait, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // fall through: keep what is held
    }
    return held;
  }

  /** Runs on the executor thread: one fetch, never throws. */
  private Snapshot fetchAndSwap() {
    try {
      JWKSet set = fetch();
      Snapshot previous = held;
      Snapshot next = new Snapshot(set, settings.clock().instant());
      held = next;
      fetchesOk.incrementAndGet();
      LOG.debug("JWKS fetched from {}: {} key(s)", settings.uri(), set.size());
      if (previous != null) {
        Set<String> removed = new HashSet<>(kids(previous.keys()));
        removed.removeAll(kids(set));
        if (!removed.isEmpty()) {
          LOG.info("JWKS {}: {} key(s) removed", settings.uri(), removed.size());
          for (Consumer<Set<String>> l : removalListeners) {
            l.accept(removed);
          }
        }
      }
      return next;
    } catch (Exception e) {
      fetchesFailed.incrementAndGet();
      LOG.warn("JWKS fetch from {} failed: {}", settings.uri(), e.getMessage());
      return held;
    }
  }

  private static Set<String> kids(JWKSet set) {
    Set<String> kids = new HashSet<>();
    for (JWK k : set.getKeys()) {
      kids.add(String.valueOf(k.getKeyID()));
    }
    return kids;
  }

  private JWKSet fetch() throws IOException, java.text.ParseException {
    byte[] body = http.get(settings.uri(), "application/jwk-set+json, application/json");
    if (!JsonDepth.within(body, settings.maxJsonDepth())) {
      throw new IOException("JSON nested too deeply");
    }
    JWKSet parsed = JWKSet.parse(new String(body, StandardCharsets.UTF_8));
    List<JWK> keys = new ArrayList<>();
    for (JWK key : parsed.getKeys()) {
      // Only asymmetric signature keys; a symmetric key in a public set is never used.
      boolean asymmetric = key.getKeyType() != com.nimbusds.jose.jwk.KeyType.OCT;
      boolean signing = key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse());
      if (asymmetric && signing) {
        keys.add(key.toPublicJWK());
      }
    }
    if (keys.isEmpty()) {
      throw new IOException("JWK Set holds no usable signature key");
    }
    if (keys.size() > settings.maxKeys()) {
      LOG.warn(
          "JWKS {} publishes {} keys; holding the first {}",
          settings.uri(),
          keys.size(),
          settings.maxKeys());
      keys = keys.subList(0, settings.maxKeys());
    }
    return new JWKSet(keys);
  }
}
