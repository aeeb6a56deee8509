package dev.latchkey.server.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link HashingPool#withPassword}: the password is wiped however the work ends. */
class HashingPoolTest {
  private static final char[] WIPED = new char[6];

  @Test
  void theWorkSeesThePasswordWhichIsThenWiped() {
    try (HashingPool pool = new HashingPool(1, 0)) {
      char[] password = "secret".toCharArray();
      AtomicReference<String> seen = new AtomicReference<>();
      pool.withPassword(password, p -> seen.set(new String(p))).join();
      assertThat(seen.get()).isEqualTo("secret");
      assertThat(password).isEqualTo(WIPED);
    }
  }

  @Test
  void aFailingWorkFailsTheFutureAndThePasswordIsWiped() {
    try (HashingPool pool = new HashingPool(1, 0)) {
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
    try (HashingPool pool = new HashingPool(1, 0)) {
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
