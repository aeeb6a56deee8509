package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.latchkey.testing.FreePort;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An outside Angular application uses {@code @latchkey/angular}: the consumer example of the web
 * module ({@code web/projects/consumer-example}), which installs the packed library tarball and
 * calls {@code provideLatchkey()}, is served on its own origin, logs in against the real auth
 * server and reads the demo server's {@code /api/lessons} through its own origin (a reverse proxy,
 * as many deployments put in front of their API).
 */
class ConsumerExampleBrowserTest {

  /** Where {@code npm run build:consumer} (mvn package of the web module) writes the app. */
  private static final Path BUILT =
      Path.of(
          System.getProperty("latchkey.consumerExample", "../web/target/consumer-example/browser"));

  /** Held from class load until the consumer server binds it, after the journey's servers start. */
  private static final FreePort.Reservation CONSUMER_PORT = FreePort.reserve();

  private static final String CONSUMER_URL = "http://localhost:" + CONSUMER_PORT.port();

  @RegisterExtension
  static final BrowserJourney journey =
      BrowserJourney.bodyMode()
          .requires(
              () -> Files.isRegularFile(BUILT.resolve("index.html")),
              "the consumer example is not built at "
                  + BUILT.toAbsolutePath().normalize()
                  + " (mvn package in web/, or npm run build:consumer)")
          .customise(
              config -> {
                List<String> origins = new ArrayList<>(config.http().corsOrigins());
                origins.add(CONSUMER_URL);
                return config.withHttp(config.http().withCorsOrigins(origins));
              });

  private static Javalin consumer;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startConsumer() {
    CONSUMER_PORT.close();
    consumer = startConsumerServer(CONSUMER_PORT.port());
  }

  @AfterAll
  static void stopConsumer() {
    CONSUMER_PORT.close(); // when the journey did not start
    if (consumer != null) consumer.stop();
  }

  /**
   * Serves the built consumer example, its {@code /latchkey.json} (the options it passes to {@code
   * provideLatchkey()}) and {@code /api/lessons}, forwarded to the demo server.
   */
  private static Javalin startConsumerServer(int port) {
    Path root = BUILT.toAbsolutePath().normalize();
    return Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              javalin.staticFiles.add(root.toString(), Location.EXTERNAL);
              javalin.spaRoot.addFile(
                  "/", root.resolve("index.html").toString(), Location.EXTERNAL);
              javalin.routes.get(
                  "/latchkey.json",
                  ctx -> ctx.json(Map.of("authUrl", journey.authUrl(), "delivery", "body")));
              javalin.routes.get("/api/lessons", ConsumerExampleBrowserTest::forwardToDemoServer);
            })
        .start("localhost", port);
  }

  private static void forwardToDemoServer(Context ctx) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(journey.appUrl() + ctx.path()));
    String authorization = ctx.header("Authorization");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<byte[]> answer =
        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    ctx.status(answer.statusCode());
    answer.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
    answer
        .headers()
        .firstValue("WWW-Authenticate")
        .ifPresent(value -> ctx.header("WWW-Authenticate", value));
    ctx.result(answer.body());
  }

  private static void logIn(String password) {
    Page page = journey.page();
    page.getByTestId("login-email").fill(RunningSystem.EMAIL);
    page.getByTestId("login-password").fill(password);
    page.getByTestId("login-submit").click();
  }

  private static Object storage(String key) {
    return journey.page().evaluate("key => localStorage.getItem(key)", key);
  }

  @Test
  void theGuardSendsToTheLoginFormAndAWrongPasswordIsRefused(Page page) {
    page.navigate(CONSUMER_URL + "/lessons");
    assertThat(page).hasURL(Pattern.compile("/login\\?returnUrl=%2Flessons$"));
    logIn("not the password");
    assertThat(page.getByTestId("login-error")).containsText("Wrong email or password");
    assertThat(storage("id_token")).isNull();
  }

  @Test
  void logsInAgainstTheAuthServerAndReadsTheLessonsWithTheToken(Page page) {
    page.navigate(CONSUMER_URL + "/lessons");
    logIn(RunningSystem.PASSWORD);

    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(page.getByTestId("lesson-item")).hasCount(Lesson.CATALOGUE.size());
    assertThat(page.getByTestId("lesson-item").first()).hasText(Lesson.CATALOGUE.get(0).title());

    String token = (String) storage("id_token");
    assertThat(token).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(journey.requestTo(journey.authUrl() + "/api/login").headers())
        .doesNotContainKey("authorization");
    assertThat(journey.requestTo(CONSUMER_URL + "/api/lessons").headers().get("authorization"))
        .isEqualTo("Bearer " + token);

    page.getByTestId("nav-logout").click();
    assertThat(page).hasURL(Pattern.compile("/login$"));
    assertThat(storage("id_token")).isNull();
    assertThat(storage("expires_at")).isNull();
  }
}
