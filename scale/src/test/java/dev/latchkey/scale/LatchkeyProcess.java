package dev.latchkey.scale;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code latchkey} command in its own JVM ({@code java -jar latchkey.jar ...}), its output in a
 * log file. Small heap and the C1 compiler only: five of these share two cores with the load.
 */
final class LatchkeyProcess implements AutoCloseable {

  static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static final HttpClient probe =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final int port;
  private final Path log;
  private final Process process;
  private final String readyPath;
  private volatile Instant readyAt;

  private LatchkeyProcess(String name, int port, Path log, Process process, String readyPath) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
    this.readyPath = readyPath;
  }

  /**
   * Launches {@code command} (see {@link #command}); the caller waits with {@link #awaitReady}. The
   * environment's {@code LATCHKEY_*} variables are removed so that only the flags count.
   */
  static LatchkeyProcess launch(
      String name, List<String> command, Path log, int port, String readyPath) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("LATCHKEY_"));
    Files.writeString(
        log,
        "=== " + Instant.now() + " " + String.join(" ", command) + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    return new LatchkeyProcess(name, port, log, builder.start(), readyPath);
  }

  static List<String> command(Path jar, List<String> args) {
    List<String> command = java();
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return command;
  }

  /**
   * The command of {@code latchkey app}. A jar built with {@code -Dskip.npm} has no Angular client;
   * the application server then serves its API only.
   */
  static List<String> appCommand(Path jar, Path scratch, List<String> args) {
    return command(jar, args);
  }

  private static List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    return command;
  }

  /** Waits until {@code GET <readyPath>} answers 200; fails with the log's tail otherwise. */
  LatchkeyProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + readyPath))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + tail(40));
      }
      try {
        if (probe.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          readyAt = Instant.now();
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + tail(40));
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  Instant readyAt() {
    return readyAt;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** {@code kill -9}: the JVM gets no chance to finish anything. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  List<String> logLines() throws IOException {
    return Files.readAllLines(log);
  }

  String tail(int lines) {
    try {
      List<String> all = logLines();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }

  @Override
  public String toString() {
    return name + " (" + url() + ", pid " + process.pid() + ")";
  }
}
