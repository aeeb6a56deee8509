package dev.latchkey.server;

import dev.latchkey.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Auth servers that a test starts, each on a fresh database of its own (an H2 folder or a
 * PostgreSQL schema), all on one clock the test moves by hand; after the test the schemas are
 * dropped and the folders deleted. Register it on an instance field, so each test has its own:
 *
 * <pre>{@code @RegisterExtension final ClockedServers servers = new ClockedServers();}</pre>
 *
 * <p>The test closes the servers it starts (try-with-resources) before this clean-up runs.
 */
final class ClockedServers implements AfterEachCallback {
  private final MutableClock clock = MutableClock.startingNow();
  private final List<AuthServerConfig> started = new ArrayList<>();
  private Path tempDir;

  /** The clock every server of this test reads. */
  MutableClock clock() {
    return clock;
  }

  /** Starts a server on a fresh database, quiet (no rotation checks), with this customisation. */
  AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    AuthServerConfig config =
        custom.apply(
            TestDatabase.quiet(db.freshConfig(folder().resolve("s" + started.size())))
                .withClock(clock));
    started.add(config);
    return AuthServer.start(config);
  }

  private Path folder() {
    if (tempDir == null) {
      try {
        tempDir = Files.createTempDirectory("latchkey-servers-");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return tempDir;
  }

  @Override
  public void afterEach(ExtensionContext extension) throws IOException {
    started.forEach(TestDatabase::dropSchema);
    if (tempDir != null) {
      try (Stream<Path> paths = Files.walk(tempDir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }
}
