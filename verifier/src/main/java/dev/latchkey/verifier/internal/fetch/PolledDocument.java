package dev.latchkey.verifier.internal.fetch;

import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote JSON document held in memory and kept fresh by one daemon thread: the JWK Set and the
 * revocation feed are both one of these, and add only how their document is read.
 *
 * <ul>
 *   <li>The held value is an immutable snapshot behind a volatile field: readers never lock and
 *       never wait unless they ask to.
 *   <li>A fetch is due {@link Schedule#refreshAfter} after the request of the held value was sent
 *       (so a slow fetch does not stretch staleness bounds); fetches are single-flight and spaced
 *       by {@link Schedule#minSpacing}; the thread checks at least every {@link
 *       Schedule#backgroundCheck}.
 *   <li>All scheduling, spacing and ages run on a monotonic ticker ({@code System::nanoTime} unless
 *       a test injects one), so wall-clock steps change none of them.
 *   <li>A failed fetch (refused, non-200, timeout, too big, too deep, unreadable) keeps the held
 *       value and is counted; callers that wait are bounded by the fetch timeouts.
 * </ul>
 *
 * @param <T> the value read from the document
 */
public final class PolledDocument<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolledDocument.class);

  /** How the owner reads its document. */
  public interface Reader<T> {
    /** The request for the next fetch, given the held value (null before the first success). */
    default URI uri(URI endpoint, T held) {
      return endpoint;
    }

    /** The next held value from a 200 body; throws to fail the fetch and keep the held value. */
    T read(T held, byte[] body) throws IOException, ParseException;

    /** Called on the fetch thread right after {@code current} replaced {@code previous}. */
    default void swapped(T previous, T current) {}
  }

  /** A held value and the ticker time at which its request was sent. */
  public record Held<T>(T value, long requestedAt) {}

  private final String name;
  private final Endpoint endpoint;
  private final Schedule schedule;
  private final Reader<T> reader;
  private final LongSupplier ticker;
  private final BoundedGet http;
  private final ScheduledExecutorService executor;
  private final AtomicLong fetchesOk = new AtomicLong();
  private final AtomicLong fetchesFailed = new AtomicLong();
  private volatile Held<T> held;

  private final Object lock = new Object();
  private CompletableFuture<Held<T>> inFlight; // guarded by lock
  private volatile boolean attempted; // written under lock
  private volatile long lastAttempt; // written under lock

  /**
   * @param name names the thread ({@code latchkey-<name>-<host>}) and log lines
   */
  public PolledDocument(
      String name, Endpoint endpoint, Schedule schedule, Reader<T> reader, LongSupplier ticker) {
    this.name = name;
    this.endpoint = endpoint;
    this.schedule = schedule;
    this.reader = reader;
    this.ticker = ticker;
    this.http = endpoint.client();
    String thread = "latchkey-" + name + "-" + endpoint.uri().getHost();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, thread);
              t.setDaemon(true);
              return t;
            });
  }

  /** Fetches once in the background now, then keeps checking whether a fetch is due. */
  public PolledDocument<T> start() {
    executor.execute(this::tick);
    return this;
  }

  /** The held value, or null before the first successful fetch. Never waits. */
  public Held<T> held() {
    return held;
  }

  /** Nanoseconds from the held value's request until now, by the ticker. */
  public long ageNanos(Held<T> h) {
    return ticker.getAsLong() - h.requestedAt();
  }

  /** Starts a fetch in the background if one is due and none is in flight. Never waits. */
  public void refreshIfDue() {
    if (nanosUntilDue() > 0) {
      return; // the common case, decided without the lock
    }
    synchronized (lock) {
      if (inFlight == null && nanosUntilDue() <= 0) {
        startFetch();
      }
    }
  }

  /**
   * Fetches unless the spacing forbids, or joins the fetch in flight; waits for it, bounded by the
   * timeouts; returns what is then held.
   */
  public Held<T> fetchSpaced() {
    CompletableFuture<Held<T>> f;
    synchronized (lock) {
      f = inFlight != null ? inFlight : nanosUntilSpaced() <= 0 ? startFetch() : null;
    }
    if (f != null) {
      await(f);
    }
    return held;
  }

  /**
   * Fetches now whatever the schedule (after a fetch already running), waiting bounded by the
   * timeouts; returns whether this fetch succeeded. False once closed.
   */
  public boolean fetchNow() {
    try {
      Future<Boolean> f = executor.submit(() -> fetch(attemptNow()));
      return Boolean.TRUE.equals(await(f));
    } catch (RejectedExecutionException closed) {
      return false;
    }
  }

  public SourceStats stats(int entries) {
    Held<T> h = held;
    Duration age = h == null ? null : Duration.ofNanos(ageNanos(h));
    return new SourceStats(fetchesOk.get(), fetchesFailed.get(), entries, age);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private long nanosUntilSpaced() {
    return attempted ? schedule.minSpacing().toNanos() - (ticker.getAsLong() - lastAttempt) : 0;
  }

  private long nanosUntilDue() {
    Held<T> h = held;
    long untilStale = h == null ? 0 : schedule.refreshAfter().toNanos() - ageNanos(h);
    return Math.max(untilStale, nanosUntilSpaced());
  }

  /** Guarded by lock. */
  private CompletableFuture<Held<T>> startFetch() {
    long startedAt = ticker.getAsLong();
    attempted = true;
    lastAttempt = startedAt;
    CompletableFuture<Held<T>> f = new CompletableFuture<>();
    inFlight = f;
    try {
      executor.execute(
          () -> {
            try {
              fetch(startedAt);
            } finally {
              synchronized (lock) {
                inFlight = null;
              }
              f.complete(held);
            }
          });
    } catch (RejectedExecutionException closed) {
      inFlight = null;
      f.complete(held);
    }
    return f;
  }

  private long attemptNow() {
    synchronized (lock) {
      attempted = true;
      lastAttempt = ticker.getAsLong();
      return lastAttempt;
    }
  }

  private <R> R await(Future<R> f) {
    try {
      return f.get(http.maxWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // fall through: the held value stays
    }
    return null;
  }

  /** Background: fetch when due, then look again when it will be due (bounded). Never throws. */
  private void tick() {
    try {
      refreshIfDue();
    } catch (RuntimeException e) {
      LOG.warn("{} background check failed: {}", name, e.toString());
    } finally {
      scheduleTick();
    }
  }

  private void scheduleTick() {
    long delay = schedule.backgroundCheck().toMillis();
    synchronized (lock) {
      delay = Math.min(delay, TimeUnit.NANOSECONDS.toMillis(nanosUntilDue()));
    }
    try {
      executor.schedule(this::tick, Math.max(1, delay), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // closed meanwhile
    }
  }

  /** One fetch, on the executor thread only; never throws. */
  private boolean fetch(long startedAt) {
    Held<T> previous = held;
    T previousValue = previous == null ? null : previous.value();
    URI uri = reader.uri(endpoint.uri(), previousValue);
    try {
      byte[] body = http.get(uri, endpoint.accept());
      if (!JsonDepth.within(body, endpoint.maxJsonDepth())) {
        throw new IOException("JSON nested too deeply");
      }
      T next = reader.read(previousValue, body);
      held = new Held<>(next, startedAt);
      // before the counter: whoever sees the fetch counted also sees its consequences
      reader.swapped(previousValue, next);
      fetchesOk.incrementAndGet();
      return true;
    } catch (IOException | ParseException | RuntimeException e) {
      fetchesFailed.incrementAndGet();
      LOG.warn("{} fetch from {} failed: {}", name, endpoint.uri(), e.getMessage());
      return false;
    }
  }
}
