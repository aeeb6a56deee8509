package dev.latchkey.scale;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything the test started, stopped in reverse order: by the test's {@code @AfterAll}, and by a
 * shutdown hook if the test JVM itself is stopped, so that no process or port outlives a run.
 */
final class Teardown implements AutoCloseable {

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Thread hook = new Thread(this::closeAll, "scale-test-teardown");

  Teardown() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Registers a resource; returns it. */
  synchronized <T extends AutoCloseable> T add(T resource) {
    resources.push(resource);
    return resource;
  }

  @Override
  public void close() {
    closeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private synchronized void closeAll() {
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("teardown: " + resource + ": " + e);
      }
    }
  }
}
