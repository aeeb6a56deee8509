package dev.latchkey.bench.soak;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The login flood of {@link LoginFlood}, sent by {@code wrk} (Debian's package) with the script
 * {@code login-flood.lua}: one event-loop thread keeping {@code connections} requests in flight, as
 * an attacker's load tool would. A client of a thread per connection spent as much CPU as the auth
 * server it flooded; pinned beside the auth server ({@code --auth-cpus}) it took half of the core
 * that separate machines would leave to the auth server.
 */
final class WrkFlood {
  private static final String SCRIPT = "login-flood.lua";

  /** One flood's answers: counts by HTTP status, and the requests wrk gave up on. */
  record Answers(Map<Integer, Long> statuses, long timeouts) {
    long total() {
      return statuses.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final Process process;

  private WrkFlood(Process process) {
    this.process = process;
  }

  /** The {@code wrk} the flood runs: the first executable one on the {@code PATH}. */
  static Optional<Path> executable() {
    return find(System.getenv().getOrDefault("PATH", ""));
  }

  /** The first executable {@code wrk} in these folders ({@code PATH}'s syntax). */
  static Optional<Path> find(String path) {
    for (String folder : path.split(File.pathSeparator)) {
      if (folder.isEmpty()) {
        continue;
      }
      Path wrk = Path.of(folder, "wrk");
      if (Files.isRegularFile(wrk) && Files.isExecutable(wrk)) {
        return Optional.of(wrk);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts wrk on {@code cpus} (null: anywhere) for {@code length}, posting wrong passwords to
   * {@code authUrl + "/api/login"} for {@code accounts} accounts from {@code addresses} addresses.
   */
  static WrkFlood start(
      String authUrl,
      String cpus,
      Duration length,
      int connections,
      int accounts,
      int addresses,
      Path folder) {
    List<String> command = new ArrayList<>(ServerProcess.pinnedTo(cpus));
    command.addAll(
        List.of(
            executable().map(Path::toString).orElse("wrk"),
            "-t1",
            "-c" + connections,
            "-d" + Math.max(1, length.toSeconds()) + "s",
            "--timeout",
            "10s",
            "-s",
            script(folder).toString(),
            authUrl,
            "--",
            Integer.toString(accounts),
            Integer.toString(addresses)));
    try {
      return new WrkFlood(
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    } catch (IOException e) {
      throw new IllegalStateException(
          "the login flood needs wrk (Debian: apt-get install wrk): " + e.getMessage(), e);
    }
  }

  /** Waits for wrk's end and reads what its script counted. */
  Answers finish() throws InterruptedException {
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("wrk failed:\n" + out);
    }
    Map<Integer, Long> statuses = new TreeMap<>();
    long timeouts = 0;
    for (String line : out.split("\n")) {
      String[] words = line.strip().split(" ");
      if (words.length == 3 && words[0].equals("status")) {
        statuses.put(Integer.parseInt(words[1]), Long.parseLong(words[2]));
      } else if (words.length == 2 && words[0].equals("timeouts")) {
        timeouts = Long.parseLong(words[1]);
      }
    }
    return new Answers(statuses, timeouts);
  }

  private static Path script(Path folder) {
    Path file = folder.resolve(SCRIPT);
    if (Files.notExists(file)) {
      try (InputStream in = WrkFlood.class.getResourceAsStream(SCRIPT)) {
        Files.createDirectories(folder);
        Files.copy(in, file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return file;
  }
}
