package dev.latchkey.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a command block until Ctrl-C (or SIGTERM), then close its servers itself before the JVM
 * exits, so that a stop is always clean.
 */
final class Shutdown implements AutoCloseable {

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);

  Shutdown() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  requested.countDown();
                  try {
                    finished.await(15, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "latchkey-shutdown"));
  }

  void awaitRequest() throws InterruptedException {
    requested.await();
  }

  /** Called once the servers are closed; lets the JVM finish exiting. */
  @Override
  public void close() {
    finished.countDown();
  }
}
