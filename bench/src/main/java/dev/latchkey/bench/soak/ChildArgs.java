package dev.latchkey.bench.soak;

import dev.latchkey.bench.load.LessonsServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/** What the child server mains share: {@code --name value} arguments, the ready file, the stop. */
final class ChildArgs {
  private ChildArgs() {}

  /** A server's arguments: {@code --env-file} among them. */
  static Map<String, String> parse(String[] args) {
    Map<String, String> options = pairs(args);
    if (!options.containsKey("--env-file")) {
      throw new IllegalArgumentException("--env-file FILE is required");
    }
    return options;
  }

  /** {@code --name value} pairs. */
  static Map<String, String> pairs(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  /**
   * Writes {@code env} to {@code --env-file} in one rename (the parent's sign that the server is
   * ready), then waits for SIGTERM or {@code --max-seconds} (default 3600) and runs {@code stop}.
   */
  static void serveUntilStopped(Map<String, String> options, String env, Runnable stop)
      throws Exception {
    Path file = Path.of(options.get("--env-file")).toAbsolutePath();
    LessonsServers.serveUntilStopped(
        stop::run,
        () -> writeAtomically(file, env),
        () -> "stopped",
        Long.parseLong(options.getOrDefault("--max-seconds", "3600")));
  }

  private static void writeAtomically(Path file, String content) {
    try {
      Path tmp = Files.createTempFile(file.getParent(), "env", ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
