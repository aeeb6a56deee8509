package dev.latchkey.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command to its end and keeps what it printed. */
final class Command {

  private Command() {}

  record Result(int exitCode, String output) {
    Result orFail(List<String> command) {
      if (exitCode != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  static Result run(List<String> command, Duration timeout) throws IOException {
    Path out = Files.createTempFile("latchkey-scale-cmd", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          throw new IllegalStateException(
              String.join(" ", command) + " did not end within " + timeout);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static Result runOrFail(List<String> command, Duration timeout) throws IOException {
    return run(command, timeout).orFail(command);
  }

  /** Whether an executable file exists at this path. */
  static boolean executable(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }

  /** The first executable of this name on the PATH, or null. */
  static Path onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (executable(candidate)) {
        return candidate;
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin")) { // nginx lives here on Debian
      Path candidate = Path.of(dir, name);
      if (executable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
