package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format} and {@code --audit-log} in a real {@code latchkey} process (this module's
 * class path, logging set up by {@link LogSetup}): the logging set-up is process-wide, so never in
 * the test's JVM.
 */
class LogOptionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BANNER = Pattern.compile("^Auth server: (http://\\S+) .*$");

  @TempDir Path folder;

  @Test
  void jsonLogsAndAnAuditFile() throws Exception {
    Path audit = folder.resolve("logs/audit.jsonl");
    Output out = new Output();
    Process serve =
        start(
            out,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--metrics-port",
            "0",
            "--data-dir",
            folder.resolve("data").toString(),
            "--log-format",
            "json",
            "--audit-log",
            audit.toString());
    try {
      String baseUrl = out.await(BANNER);
      HttpResponse<String> login =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(baseUrl + "/api/login"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"email\":\"nobody@example.com\",\"password\":\"Not-The-Password-1\"}"))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(401);
    } finally {
      LatchkeyProcess.stop(serve);
    }

    // every line that is not the banner is a JSON log event
    List<JsonNode> logs = new ArrayList<>();
    for (String line : out.lines()) {
      if (line.startsWith("{")) {
        logs.add(JSON.readTree(line));
      }
    }
    assertThat(logs)
        .anySatisfy(
            e -> {
              assertThat(e.get("level").asText()).isEqualTo("INFO");
              assertThat(e.get("logger").asText()).isEqualTo("dev.latchkey.server.AuthServer");
              // formatted: the arguments are in the message
              assertThat(e.get("message").asText()).startsWith("Latchkey auth server at http://");
              assertThat(Instant.parse(e.get("time").asText()))
                  .isBetween(Instant.now().minusSeconds(300), Instant.now());
              assertThat(e.get("thread").asText()).isNotBlank();
            });
    assertThat(out.lines()).noneMatch(line -> line.contains("INFO  AuthServer"));
    assertThat(out.lines()).noneMatch(line -> line.contains("\"event\":\"login_failed\""));

    List<String> audited = Files.readAllLines(audit);
    assertThat(audited).isNotEmpty();
    List<JsonNode> events = new ArrayList<>();
    for (String line : audited) {
      events.add(JSON.readTree(line));
    }
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.get("event").asText()).isEqualTo("login_failed");
              assertThat(e.get("email").asText()).isEqualTo("nobody@example.com");
              assertThat(e.get("client").asText()).isEqualTo("127.0.0.1");
            });
    assertThat(events)
        .anySatisfy(e -> assertThat(e.get("event").asText()).isEqualTo("key_created"));
    assertThat(String.join("\n", audited)).doesNotContain("Not-The-Password-1");
  }

  @Test
  void textLogsCarryTheDateAndZone() throws Exception {
    Output out = new Output();
    Process serve =
        start(
            out,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--metrics-port",
            "0",
            "--data-dir",
            folder.resolve("data").toString());
    try {
      out.await(BANNER);
    } finally {
      LatchkeyProcess.stop(serve);
    }
    assertThat(out.lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches(
                        "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})"
                            + " INFO  AuthServer - Latchkey auth server at .*"));
  }

  @Test
  void anAuditLogThatCannotBeWrittenIsOneLine() throws Exception {
    Path blocker = Files.writeString(folder.resolve("file"), "");
    Output out = new Output();
    Process serve =
        start(
            out,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--metrics-port",
            "0",
            "--data-dir",
            folder.resolve("data").toString(),
            "--audit-log",
            blocker.resolve("audit.jsonl").toString());
    assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(serve.exitValue()).isEqualTo(1);
    out.done.get(10, TimeUnit.SECONDS);
    assertThat(out.lines()).hasSize(1);
    assertThat(out.lines().get(0)).startsWith("latchkey serve: cannot write the audit log at ");
  }

  @Test
  void anOperatorsOwnLogbackFileReplacesTheBuiltInSetUp() throws Exception {
    Path own =
        Files.writeString(
            folder.resolve("own-logback.xml"),
            """
            <configuration>
              <appender name="MINE" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>MINE %level %logger{0}: %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="MINE"/></root>
            </configuration>
            """);
    Process users =
        LatchkeyProcess.command(
                folder,
                List.of("-Dlogback.configurationFile=" + own),
                "users",
                "list",
                "--data-dir",
                folder.resolve("data").toString())
            .redirectErrorStream(true)
            .start();
    users.getOutputStream().close();
    String printed = new String(users.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(users.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(users.exitValue()).as(printed).isZero();
    assertThat(printed).contains("MINE INFO Database: Database ready at jdbc:h2:");
    assertThat(printed).doesNotContain(" INFO  Database - ");
  }

  @Test
  void noLoggedValueForgesATextLine() throws Exception {
    List<String> lines = probe("text");
    assertThat(lines).noneMatch(line -> line.startsWith("<forged"));
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .endsWith(
                        " WARN  LogLineProbe - typed x\\n<forged line>\\r<forged cr>"
                            + "\\u2028<forged ls>\\u0085<forged nel>"));
    // the stack trace keeps its lines, and each message in it stays on its own
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("java.lang.IllegalStateException: outer x\\n<forged line>\\r"));
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("Caused by: java.lang.IllegalArgumentException: inner x\\n<f"));
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("\tat dev.latchkey.cli."));
    // the audit line is the same JSON, its separator escaped
    assertThat(lines).contains("{\"typed\":\"a\\u2028<forged audit>\"}");
  }

  @Test
  void noLoggedValueForgesAJsonLine() throws Exception {
    List<String> lines = probe("json");
    assertThat(lines).noneMatch(line -> line.startsWith("<forged"));
    assertThat(lines).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
    List<JsonNode> events = new ArrayList<>();
    for (String line : lines) {
      events.add(JSON.readTree(line));
    }
    assertThat(events)
        .anySatisfy(
            e -> assertThat(e.path("message").asText()).isEqualTo("typed " + LogLineProbe.TYPED));
    assertThat(events)
        .anySatisfy(
            e -> assertThat(e.path("error").asText()).contains("outer " + LogLineProbe.TYPED));
    assertThat(events)
        .anySatisfy(e -> assertThat(e.path("typed").asText()).isEqualTo("a\u2028<forged audit>"));
  }

  /** The lines {@link LogLineProbe} printed, split only where a line really ends. */
  private List<String> probe(String format) throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            LogLineProbe.class.getName(),
            format);
    Process process =
        new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(printed).isZero();
    // a reader that also splits at CR, NEL and U+2028/9, as some log viewers do
    return List.of(printed.split("\r\n|[\n\r\u0085\u2028\u2029]"));
  }

  /** The process's output (stdout and stderr), read as it comes. */
  private static final class Output {
    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    void pump(Process process) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader reader =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (this) {
                      lines.add(line);
                      notifyAll();
                    }
                  }
                } catch (IOException e) {
                  // the process ended
                }
                done.complete(null);
              });
      t.setDaemon(true);
      t.start();
    }

    synchronized String await(Pattern pattern) throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (int seen = 0; ; ) {
        for (; seen < lines.size(); seen++) {
          Matcher m = pattern.matcher(lines.get(seen));
          if (m.matches()) {
            return m.group(1);
          }
        }
        long left = until - System.nanoTime();
        if (left <= 0 || done.isDone()) {
          throw new AssertionError("no line matched " + pattern + "; output:\n" + lines);
        }
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
      }
    }
  }

  private Process start(Output out, String... args) throws IOException {
    Process process = LatchkeyProcess.command(folder, args).redirectErrorStream(true).start();
    out.pump(process);
    return process;
  }
}
