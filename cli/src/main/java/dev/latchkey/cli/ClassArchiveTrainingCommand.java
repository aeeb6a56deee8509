package dev.latchkey.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.demo.DemoConfig;
import dev.latchkey.demo.DemoServer;
import dev.latchkey.server.AuthServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The launcher's training run for its class-data sharing archive, run under {@code
 * -XX:ArchiveClassesAtExit}: the demo's two servers on free ports over a throwaway data folder, the
 * demo user signed in, the lessons opened with the token, then a stop. The archive is written as
 * this process exits, which takes seconds: done here, before the user's first server starts, rather
 * than when that server is stopped, so a Ctrl-C (or a container's stop) is never kept waiting.
 */
@Command(
    name = ClassArchiveTrainingCommand.NAME,
    hidden = true,
    description = "Starts and stops the demo once (the launcher's class-data sharing archive).")
final class ClassArchiveTrainingCommand implements Callable<Integer> {
  static final String NAME = "class-archive-training";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Override
  public Integer call() throws Exception {
    Path dataDir = Files.createTempDirectory("latchkey-class-archive-");
    try {
      signInAndOpenTheLessons(dataDir);
    } finally {
      deleteAll(dataDir);
    }
    return 0;
  }

  private static void signInAndOpenTheLessons(Path dataDir) throws Exception {
    DemoConfig appConfig = DemoConfig.defaults().withPort(0);
    // a port of its own, not 0: the demo's issuer names the auth server's port
    int authPort = freePort();
    try (AuthServer auth =
            AuthServer.start(
                DemoCommand.embeddedAuthConfig(
                    appConfig, authPort, dataDir, Duration.ofMinutes(5)));
        DemoServer app = DemoServer.start(appConfig.withAuthUrl(URI.create(auth.baseUrl())))) {
      String password = DemoUser.STUDENT.ensure(auth.store().users(), dataDir, null).passwordNote();
      HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      String login =
          expect(
              200,
              http,
              request(auth.baseUrl() + "/api/login")
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          JSONObjectUtils.toJSONString(
                              Map.of("email", DemoUser.STUDENT.email(), "password", password)))));
      String token = idToken(login);
      expect(
          200,
          http,
          request(app.baseUrl() + "/api/lessons").header("Authorization", "Bearer " + token));
      // the client's page, whatever it answers (a -Dskip.npm build has none)
      http.send(request(app.baseUrl() + "/").build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
  }

  private static String expect(int status, HttpClient http, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpRequest sent = request.build();
    HttpResponse<String> answer = http.send(sent, HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != status) {
      throw new IllegalStateException(
          sent.method()
              + " "
              + sent.uri()
              + " answered "
              + answer.statusCode()
              + ", not "
              + status);
    }
    return answer.body();
  }

  private static String idToken(String loginAnswer) throws ParseException {
    String token = JSONObjectUtils.getString(JSONObjectUtils.parse(loginAnswer), "idToken");
    if (token == null) {
      throw new IllegalStateException("the login answer has no idToken");
    }
    return token;
  }

  private static void deleteAll(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
