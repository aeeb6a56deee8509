package dev.latchkey.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;

/**
 * The revocation bound a test set-up states: a revocation is refused by an application server
 * within its poll interval + the feed's {@code max-age} (docs/security.md, "The revocation bound").
 * A test allows exactly that plus one poll interval of slack (a poll that started just before the
 * revocation and a loaded build host), and no more.
 *
 * @param pollInterval how often the application server reads the feed
 * @param feedMaxAge the feed's {@code max-age} (the auth server's revocation poll interval)
 */
public record RevocationBound(Duration pollInterval, Duration feedMaxAge) {

  private static final long PROBE_EVERY_MILLIS = 50;

  /** Poll interval + feed max-age: what the documentation promises. */
  public Duration stated() {
    return pollInterval.plus(feedMaxAge);
  }

  /** What a test allows: the stated bound plus one poll interval. */
  public Duration allowed() {
    return stated().plus(pollInterval);
  }

  /**
   * Asks {@code probe} every 50 ms until it answers {@code status}, and fails unless that answer
   * came within {@link #allowed()} of {@code sinceNanos} (the {@link System#nanoTime()} when the
   * revocation was made, or the feed answered again). Returns that answer.
   */
  public HttpResponse<String> awaitStatus(
      long sinceNanos, int status, Callable<HttpResponse<String>> probe) throws Exception {
    return awaitStatus(sinceNanos, status, probe, HttpResponse::statusCode);
  }

  /** {@link #awaitStatus(long, int, Callable)} for any answer that has a status. */
  public <T> T awaitStatus(
      long sinceNanos, int status, Callable<T> probe, ToIntFunction<T> statusOf) throws Exception {
    long deadline = sinceNanos + allowed().toNanos();
    while (true) {
      T answer = probe.call();
      long now = System.nanoTime();
      if (statusOf.applyAsInt(answer) == status) {
        if (now - sinceNanos > allowed().toNanos()) {
          throw new AssertionError(late(status, now - sinceNanos));
        }
        return answer;
      }
      if (now >= deadline) {
        throw new AssertionError(
            late(status, now - sinceNanos) + "; last answer " + statusOf.applyAsInt(answer));
      }
      Thread.sleep(PROBE_EVERY_MILLIS);
    }
  }

  private String late(int status, long elapsedNanos) {
    return String.format(
        "no %d within %d ms (stated bound %d ms + one poll interval %d ms): %d ms",
        status,
        allowed().toMillis(),
        stated().toMillis(),
        pollInterval.toMillis(),
        Duration.ofNanos(elapsedNanos).toMillis());
  }
}
