package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code latchkey.jar}, copied alone into an empty folder and run with {@code java
 * -jar}, as an operator would: nothing beside it, no Maven class path. Run by failsafe after the
 * jar is built ({@code mvn verify}).
 */
class StandaloneJarIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path folder;
  private Path jar;

  @BeforeEach
  void copyTheJarAlone() throws IOException {
    Path built = Path.of(System.getProperty("latchkey.jar", "target/latchkey.jar"));
    assertThat(built).as("run `mvn verify` to build the jar first").isRegularFile();
    jar = Files.copy(built, folder.resolve("latchkey.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    try (var files = Files.list(folder)) {
      assertThat(files).containsExactly(jar);
    }
  }

  @Test
  void printsTheVersionAndTheCommit() throws Exception {
    Result version = run("", "--version");
    assertThat(version.exit).isZero();
    String expected = System.getProperty("project.version", "");
    assertThat(version.out.strip())
        .startsWith("latchkey " + expected + " (commit ")
        .matches("latchkey \\S+ \\(commit ([0-9a-f]{7}|unknown)\\)");
    String head = gitHead();
    if (head != null) {
      assertThat(version.out.strip()).isEqualTo("latchkey " + expected + " (commit " + head + ")");
    }
  }

  @Test
  void opensAndMigratesAStoreAndKeepsWhatItWrote() throws Exception {
    Path data = folder.resolve("data");
    Result add =
        run(
            "a long enough passphrase\n",
            "users",
            "add",
            "ada@example.com",
            "--data-dir",
            dir(data));
    assertThat(add.exit).as(add.err).isZero();
    assertThat(add.out).startsWith("Added ada@example.com").hasLineCount(1);
    assertThat(add.err).contains("Database ready");

    Result list = run("", "users", "list", "--data-dir", dir(data));
    assertThat(list.exit).as(list.err).isZero();
    assertThat(list.out).contains("ada@example.com");

    Result rotate = run("", "keys", "rotate", "--data-dir", dir(data));
    assertThat(rotate.exit).as(rotate.err).isZero();
    Result keys = run("", "keys", "list", "--data-dir", dir(data));
    assertThat(keys.exit).as(keys.err).isZero();
    assertThat(keys.out).contains("RS256");

    try (var files = Files.list(data)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(name -> name.endsWith(".mv.db"))
          .contains("master.key");
    }
  }

  @Test
  void servesTheAuthServerAndTheDemoApplication() throws Exception {
    Path data = folder.resolve("data");
    Process serve =
        start(
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--metrics-port",
            "0",
            "--data-dir",
            dir(data));
    try {
      String baseUrl = awaitLine(serve, Pattern.compile("^Auth server: (http://\\S+).*$"));
      HttpResponse<String> jwks = get(baseUrl + "/.well-known/jwks.json");
      assertThat(jwks.statusCode()).isEqualTo(200);
      assertThat(jwks.body()).contains("\"keys\"").contains("\"kid\"");

      if (bundlesTheClient()) {
        Process app = start("app", "--port", "0", "--auth-url", baseUrl);
        try {
          String appUrl =
              awaitLine(app, Pattern.compile("^Demo application server: (http://\\S+) \\(.*$"));
          HttpResponse<String> page = get(appUrl + "/");
          assertThat(page.statusCode()).isEqualTo(200);
          assertThat(page.body()).contains("<app-root");
          assertThat(get(appUrl + "/api/lessons").statusCode()).isEqualTo(401);
        } finally {
          stop(app);
        }
      }
    } finally {
      stop(serve);
    }
  }

  /**
   * The launcher's training run (./latchkey) starts and stops the demo and exits 0, leaving a
   * class-data sharing archive that a later start maps ({@code -Xshare:on} refuses to start
   * otherwise), over a data folder of its own that it removes.
   */
  @Test
  void theClassArchiveTrainingRunLeavesAnArchiveALaterStartMaps() throws Exception {
    Path archive = folder.resolve("latchkey.jsa");
    Path temporary = Files.createDirectory(folder.resolve("tmp"));
    Result training =
        run(
            List.of(
                "-XX:ArchiveClassesAtExit=" + archive,
                "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off",
                "-Djava.io.tmpdir=" + temporary),
            "",
            ClassArchiveTrainingCommand.NAME);
    assertThat(training.exit).as(training.out + training.err).isZero();
    assertThat(archive).isNotEmptyFile();
    assertThat(temporary).isEmptyDirectory();

    Result mapped = run(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"), "", "--version");
    assertThat(mapped.exit).as(mapped.err).isZero();
    assertThat(mapped.out).startsWith("latchkey ");
  }

  /**
   * The Angular build is inside unless the build skipped npm ({@code -Dskip.npm}); without it the
   * demo application server does not start.
   */
  private boolean bundlesTheClient() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getEntry("public/index.html") != null;
    }
  }

  private static String dir(Path path) {
    return path.toAbsolutePath().toString();
  }

  private record Result(int exit, String out, String err) {}

  private ProcessBuilder command(String... args) {
    return command(List.of(), args);
  }

  private ProcessBuilder command(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.getFileName().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
    return builder;
  }

  private Result run(String stdin, String... args) throws Exception {
    return run(List.of(), stdin, args);
  }

  private Result run(List<String> jvmOptions, String stdin, String... args) throws Exception {
    Process process = command(jvmOptions, args).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    var out = readAsync(process.getInputStream());
    var err = readAsync(process.getErrorStream());
    assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), out.get(), err.get());
  }

  private Process start(String... args) throws IOException {
    return command(args).redirectErrorStream(true).start();
  }

  /** Reads the process's output until a line matches; returns the pattern's first group. */
  private static String awaitLine(Process process, Pattern pattern) throws Exception {
    var reader =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    var found = new java.util.concurrent.CompletableFuture<String>();
    StringBuilder seen = new StringBuilder();
    Thread pump =
        new Thread(
            () -> {
              try {
                for (String line; (line = reader.readLine()) != null; ) {
                  synchronized (seen) {
                    seen.append(line).append('\n');
                  }
                  Matcher matcher = pattern.matcher(line);
                  if (matcher.matches()) {
                    found.complete(matcher.group(1));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              found.completeExceptionally(new AssertionError("no line matched " + pattern));
            });
    pump.setDaemon(true);
    pump.start();
    try {
      return found.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      synchronized (seen) {
        throw new AssertionError("waiting for " + pattern + "; output:\n" + seen, e);
      }
    }
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static java.util.concurrent.Future<String> readAsync(InputStream in) {
    var result =
        new java.util.concurrent.FutureTask<>(
            () -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    Thread thread = new Thread(result);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /** The checkout's commit, when the test runs in one and git is installed; else null. */
  private static String gitHead() {
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "--short=7", "HEAD")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : null;
    } catch (IOException | InterruptedException e) {
      return null;
    }
  }
}
