package dev.latchkey.server.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link HashingPool#full} says what a submission would meet; {@link HashingPool#withPassword}: the
 * password is wiped however the work ends.
 */
class HashingPoolTest {
  private static final char[] WIPED = new char[6];
  private static final Duration LONG = Duration.ofMinutes(1);

  @Test
  void fullOnlyWhenTheNextSubmissionWouldBeRefused() throws Exception {
    for (int queue : new int[] {0, 1}) {
      try (HashingPool pool = new HashingPool(1, queue, LONG)) {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        assertThat(pool.full()).as("queue %d, idle", queue).isFalse();
        pool.submit(
            () -> {
              running.countDown();
              return awaitQuietly(release);
            });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        if (queue == 1) {
          assertThat(pool.full()).as("one running, the queue empty").isFalse();
          pool.submit(() -> true);
        }
        assertThat(pool.full()).as("queue %d, saturated", queue).isTrue();
        assertThatThrownBy(() -> pool.submit(() -> true).join())
            .hasCauseInstanceOf(HashingPool.Saturated.class);
        release.countDown();
      }
    }
  }

  @Test
  void workThatWaitedTooLongForAThreadIsRefusedLeavesTheQueueAndNeverRuns() throws Exception {
    try (HashingPool pool = new HashingPool(1, 1, Duration.ofMillis(200))) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      CompletableFuture<Boolean> first =
          pool.submit(
              () -> {
                running.countDown();
                return awaitQuietly(release);
              });
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      AtomicBoolean ran = new AtomicBoolean();
      CompletableFuture<Boolean> waiting = pool.submit(() -> ran.getAndSet(true));
      assertThat(pool.full()).isTrue();

      assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(HashingPool.Saturated.class);
      assertThat(pool.queued()).isZero();
      assertThat(pool.full()).as("its place is free for a new attempt").isFalse();

      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).as("running work is never cut short").isTrue();
      assertThat(pool.submit(() -> true).get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).isFalse();
    }
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void theWorkSeesThePasswordWhichIsThenWiped() {
    try (HashingPool pool = new HashingPool(1, 0, LONG)) {
      char[] password = "secret".toCharArray();
      AtomicReference<String> seen = new AtomicReference<>();
      pool.withPassword(password, p -> seen.set(new String(p))).join();
      assertThat(seen.get()).isEqualTo("secret");
      assertThat(password).isEqualTo(WIPED);
    }
  }

  @Test
  void aFailingWorkFailsTheFutureAndThePasswordIsWiped() {
    try (HashingPool pool = new HashingPool(1, 0, LONG)) {
      char[] password = "secret".toCharArray();
      assertThatThrownBy(
              () ->
                  pool.withPassword(
                          password,
                          p -> {
                            throw new IllegalArgumentException("weak");
                          })
                      .join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(IllegalArgumentException.class);
      assertThat(password).isEqualTo(WIPED);
    }
  }

  @Test
  void workTheFullPoolRefusesNeverRunsAndThePasswordIsWiped() throws Exception {
    try (HashingPool pool = new HashingPool(1, 0, LONG)) {
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      pool.submit(
          () -> {
            busy.countDown();
            try {
              return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              return false;
            }
          });
      assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
      char[] password = "secret".toCharArray();
      AtomicReference<String> seen = new AtomicReference<>();
      try {
        assertThatThrownBy(() -> pool.withPassword(password, p -> seen.set(new String(p))).join())
            .hasCauseInstanceOf(HashingPool.Saturated.class);
        assertThat(seen.get()).isNull();
        assertThat(password).isEqualTo(WIPED);
      } finally {
        release.countDown();
      }
    }
  }
}
