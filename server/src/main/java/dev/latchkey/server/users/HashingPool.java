package dev.latchkey.server.users;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A bounded pool for password hashing: {@code threads} hash at once, {@code queue} more may wait,
 * and anything beyond is refused at once with {@link Saturated} (answered 503 + Retry-After) so a
 * flood of logins never starves the HTTP threads or other endpoints. Work that has waited {@code
 * maxWait} for a thread is refused the same way and leaves the queue: under a flood the threads
 * hash more slowly than usual, and a client is told to retry instead of waiting unanswered.
 */
public final class HashingPool implements AutoCloseable {
  /** The pool and its queue are full, or the work waited too long for a thread. */
  public static final class Saturated extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Saturated() {
      super("password hashing is saturated", null, false, false);
    }
  }

  private final ThreadPoolExecutor executor;
  private final long maxWaitMillis;
  private final AtomicLong submitted = new AtomicLong();
  private volatile LongConsumer waitObserver = nanos -> {};

  public HashingPool(int threads, int queue, Duration maxWait) {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "latchkey-hash-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
            factory,
            new ThreadPoolExecutor.AbortPolicy());
    this.maxWaitMillis = maxWait.toMillis();
  }

  /** Told how long each piece of work waited for a thread, in nanoseconds (metrics). */
  public void observeWait(LongConsumer observer) {
    this.waitObserver = observer;
  }

  /**
   * Whether every thread is busy and the queue full now: a submission would be refused. A caller
   * that checks first (a login under a flood) is spared its other work; the answer can be stale
   * either way, so {@link #submit} still refuses what does not fit.
   */
  public boolean full() {
    return executor.getQueue().remainingCapacity() == 0
        && executor.getActiveCount() >= executor.getMaximumPoolSize();
  }

  /** Work waiting for a thread now. */
  public int queued() {
    return executor.getQueue().size();
  }

  /**
   * Runs the work on the pool; the future fails with {@link Saturated} when the pool is full or the
   * work waited {@code maxWait} for a thread (it then never runs).
   */
  public <T> CompletableFuture<T> submit(Supplier<T> work) {
    submitted.incrementAndGet();
    long queuedAt = System.nanoTime();
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicBoolean decided = new AtomicBoolean(); // started, or given up: whichever comes first
    Runnable task =
        () -> {
          if (!decided.compareAndSet(false, true)) {
            return;
          }
          waitObserver.accept(System.nanoTime() - queuedAt);
          try {
            result.complete(work.get());
          } catch (Throwable e) {
            result.completeExceptionally(e);
          }
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new Saturated());
    }
    CompletableFuture.delayedExecutor(maxWaitMillis, TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (decided.compareAndSet(false, true)) {
                executor.remove(task); // its place in the queue goes to a new attempt
                result.completeExceptionally(new Saturated());
              }
            });
    return result;
  }

  /**
   * Runs work that hashes a password on the pool, then wipes the password, also when the work fails
   * or the pool refuses it.
   */
  public CompletableFuture<Void> withPassword(char[] password, Consumer<char[]> work) {
    return this.<Void>submit(
            () -> {
              work.accept(password);
              return null;
            })
        .whenComplete((done, error) -> Arrays.fill(password, '\0'));
  }

  /** How many pieces of work were ever submitted (tests: no hashing for a throttled login). */
  public long submitted() {
    return submitted.get();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
