package dev.latchkey.bench.soak;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A server ({@link AuthChild} or {@link AppChild}) in its own JVM, launched with this JVM's class
 * path, its output in {@code <dir>/<name>.log} and its GC log in {@code <dir>/<name>-gc.log}; what
 * it measures of it: RSS ({@code /proc/<pid>/status}) and the heap after its latest collection.
 */
final class ServerProcess implements AutoCloseable {
  /**
   * The after-value of a unified-logging {@code gc} line: "GC(12) Pause Young ... 40M->6M(512M)".
   */
  private static final Pattern GC_PAUSE =
      Pattern.compile("GC\\((\\d+)\\) Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private final String name;
  private final Process process;
  private final Path gcLog;
  private final Map<String, String> env;

  private ServerProcess(String name, Process process, Path gcLog, Map<String, String> env) {
    this.name = name;
    this.process = process;
    this.gcLog = gcLog;
    this.env = env;
  }

  /**
   * Starts {@code main} with {@code args} and waits (up to 5 minutes) until it wrote its ready
   * file.
   *
   * @param cpus the CPUs it may run on ({@code taskset -c} list, e.g. {@code 1}), or null for any
   * @param jvmOptions e.g. {@code -Xmx512m}
   * @param extraClassPath prepended to this JVM's class path (the demo's {@code public/} folder)
   */
  static ServerProcess start(
      String name,
      Path dir,
      String cpus,
      List<String> jvmOptions,
      String extraClassPath,
      Class<?> main,
      List<String> args)
      throws IOException, InterruptedException {
    Path envFile = dir.resolve(name + ".env");
    Path gcLog = dir.resolve(name + "-gc.log");
    Files.deleteIfExists(envFile);
    List<String> command = new ArrayList<>(pinnedTo(cpus));
    command.add(java());
    command.addAll(jvmOptions);
    command.add("-Xlog:gc:file=" + gcLog);
    command.add("-cp");
    String cp = System.getProperty("java.class.path");
    command.add(extraClassPath == null ? cp : extraClassPath + File.pathSeparator + cp);
    command.add(main.getName());
    command.addAll(args);
    command.add("--env-file");
    command.add(envFile.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    // a soak stopped with Ctrl-C or SIGTERM stops its servers too
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!Files.exists(envFile)) {
      if (!process.isAlive() || System.nanoTime() > end) {
        process.destroyForcibly();
        throw new IllegalStateException(
            name + " did not start; its log:\n" + tail(dir.resolve(name + ".log")));
      }
      Thread.sleep(100);
    }
    Map<String, String> env =
        Files.readAllLines(envFile, StandardCharsets.UTF_8).stream()
            .filter(l -> l.contains("="))
            .collect(
                Collectors.toMap(
                    l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    return new ServerProcess(name, process, gcLog, env);
  }

  /** The command prefix that keeps a process on {@code cpus} (none when null). */
  static List<String> pinnedTo(String cpus) {
    return cpus == null ? List.of() : List.of("taskset", "-c", cpus);
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  String env(String key) {
    return env.get(key);
  }

  /**
   * One memory sample: RSS, heap after the latest collection (-1 before the first), collections.
   */
  record Memory(double rssMb, double heapAfterGcMb, long collections) {}

  Memory memory() {
    double rss = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process is gone: -1
    }
    double heap = -1;
    long collections = 0;
    try {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = GC_PAUSE.matcher(line);
        if (m.find()) {
          collections = Long.parseLong(m.group(1)) + 1;
          heap = Double.parseDouble(m.group(3));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Memory(rss, heap, collections);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
