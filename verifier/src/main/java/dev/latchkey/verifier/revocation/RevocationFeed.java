package dev.latchkey.verifier.revocation;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.verifier.JsonDepth;
import dev.latchkey.verifier.fetch.BoundedGet;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the auth server's revocation feed, {@code GET {issuer}/api/revocations?since=<epoch s>}
 * answering {@code {"revoked":[{"sid":"…","at":<epoch s>},…],"now":<epoch s>}}.
 *
 * <ul>
 *   <li>One daemon thread polls every {@code pollInterval} (due by the injected clock; the thread
 *       wakes at most {@code backgroundCheck} apart). The first poll asks {@code since=0}; later
 *       ones the previous response's {@code now} minus {@code sinceOverlap}, so a revocation
 *       written by an auth server instance whose clock lags a little is not missed.
 *   <li>The revoked sids are an immutable map swapped in after each successful poll; {@link
 *       #isRevoked} reads it without locking and never waits on a poll.
 *   <li>A sid is held until its revocation time ({@code at}, never later than when we received it)
 *       plus {@code retention}, the longest a token of that session can still be valid.
 *   <li>A failed poll (refused, non-200, timeout, too big, not JSON, wrong shape) changes nothing:
 *       the held sids keep being refused; the failure is counted.
 * </ul>
 */
public final class RevocationFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationFeed.class);
  private static final int MAX_SID_LENGTH = 256;

  /** What one or more successful polls gave: sid → revocation time, when, and the next since. */
  private record Held(Map<String, Instant> revoked, Instant polledAt, long serverNow) {}

  private final RevocationSettings settings;
  private final BoundedGet http;
  private final ScheduledExecutorService executor;
  private final AtomicLong pollsOk = new AtomicLong();
  private final AtomicLong pollsFailed = new AtomicLong();
  private volatile Held held = new Held(Map.of(), null, -1);
  private volatile boolean closed;
  private Instant nextPollAt; // poller thread only

  public RevocationFeed(RevocationSettings settings) {
    this.settings = settings;
    this.http =
        new BoundedGet(
            settings.connectTimeout(), settings.readTimeout(), settings.maxResponseBytes());
    String host = settings.uri().getHost();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "latchkey-revocations-" + host);
              t.setDaemon(true);
              return t;
            });
    executor.execute(this::tick); // first poll at start-up, in the background
  }

  /**
   * True when {@code sid} is listed by the feed and still within retention. Lock-free; never waits
   * on a poll. A null sid (a token without {@code sid}) is never revoked by the feed.
   */
  public boolean isRevoked(String sid) {
    if (sid == null) {
      return false;
    }
    Instant at = held.revoked().get(sid);
    return at != null && settings.clock().instant().isBefore(at.plus(settings.retention()));
  }

  /** Polls now (on the poller thread, bounded by the timeouts); returns whether it succeeded. */
  public boolean pollNow() {
    try {
      Future<Boolean> f = executor.submit(this::poll);
      long wait = settings.connectTimeout().plus(settings.readTimeout()).toMillis() + 500;
      return f.get(wait, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public long pollsOk() {
    return pollsOk.get();
  }

  public long pollsFailed() {
    return pollsFailed.get();
  }

  /** Revoked sids currently held (including any past retention not yet pruned by a poll). */
  public int size() {
    return held.revoked().size();
  }

  /** Time since the last successful poll, or null before the first one. */
  public Duration age() {
    Instant at = held.polledAt();
    return at == null ? null : Duration.between(at, settings.clock().instant());
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }

  /** Runs on the poller thread: polls when due, then schedules the next check. Never throws. */
  private void tick() {
    try {
      Instant now = settings.clock().instant();
      if (nextPollAt == null || !now.isBefore(nextPollAt)) {
        // The next poll is due one interval after this one started (not after it ended), so a
        // slow or timed-out poll does not stretch the staleness bound.
        nextPollAt = now.plus(settings.pollInterval());
        poll();
      }
    } catch (RuntimeException e) {
      LOG.warn("revocation feed check failed: {}", e.toString());
    } finally {
      scheduleNext();
    }
  }

  private void scheduleNext() {
    if (closed) {
      return;
    }
    long delay = settings.backgroundCheck().toMillis();
    if (nextPollAt != null) {
      long untilDue = Duration.between(settings.clock().instant(), nextPollAt).toMillis();
      delay = Math.min(delay, untilDue);
    }
    try {
      executor.schedule(this::tick, Math.max(1, delay), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile
    }
  }

  /** One poll; runs on the poller thread only; never throws. */
  private boolean poll() {
    Held previous = held;
    long since =
        previous.serverNow() < 0
            ? 0
            : Math.max(0, previous.serverNow() - settings.sinceOverlap().toSeconds());
    try {
      byte[] body = http.get(withSince(settings.uri(), since), "application/json");
      Feed feed = parse(body);
      Instant received = settings.clock().instant();
      Map<String, Instant> next = new HashMap<>(previous.revoked());
      for (Map.Entry<String, Instant> e : feed.revoked().entrySet()) {
        // A revocation time ahead of our clock is taken as now, so a wrong "at" cannot pin a sid.
        Instant at = e.getValue().isAfter(received) ? received : e.getValue();
        next.merge(e.getKey(), at, (a, b) -> a.isAfter(b) ? a : b);
      }
      Instant horizon = received.minus(settings.retention());
      next.values().removeIf(at -> !at.isAfter(horizon));
      held = new Held(Map.copyOf(next), received, feed.now());
      pollsOk.incrementAndGet();
      LOG.debug("revocation feed: {} listed, {} held", feed.revoked().size(), next.size());
      return true;
    } catch (IOException | java.text.ParseException | RuntimeException e) {
      pollsFailed.incrementAndGet();
      LOG.warn(
          "revocation feed poll of {} failed: {}; keeping {} revoked session(s)",
          settings.uri(),
          e.getMessage(),
          previous.revoked().size());
      return false;
    }
  }

  /** The parsed response. */
  private record Feed(Map<String, Instant> revoked, long now) {}

  private Feed parse(byte[] body) throws IOException, java.text.ParseException {
    if (!JsonDepth.within(body, settings.maxJsonDepth())) {
      throw new IOException("JSON nested too deeply");
    }
    Map<String, Object> json = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
    long now = epochSeconds(json.get("now"), "now");
    if (!(json.get("revoked") instanceof List<?> list)) {
      throw new IOException("\"revoked\" is not an array");
    }
    Map<String, Instant> revoked = new HashMap<>();
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> entry)) {
        throw new IOException("a \"revoked\" entry is not an object");
      }
      if (!(entry.get("sid") instanceof String sid)
          || sid.isEmpty()
          || sid.length() > MAX_SID_LENGTH) {
        throw new IOException("a \"revoked\" entry has no valid sid");
      }
      Instant at = Instant.ofEpochSecond(epochSeconds(entry.get("at"), "at"));
      revoked.merge(sid, at, (a, b) -> a.isAfter(b) ? a : b);
    }
    return new Feed(revoked, now);
  }

  private static long epochSeconds(Object value, String name) throws IOException {
    if (value instanceof Long l && l >= 0 && l < 100_000_000_000L) {
      return l;
    }
    throw new IOException("\"" + name + "\" is not epoch seconds");
  }

  static URI withSince(URI uri, long since) {
    String s = uri.toString();
    return URI.create(s + (uri.getRawQuery() == null ? "?" : "&") + "since=" + since);
  }
}
