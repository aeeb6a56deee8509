package dev.latchkey.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One {@code latchkey serve} (embedded database) behind Debian's nginx on loopback, started with
 * {@code --public-url} set to the proxy: discovery, JWKS, login and the hosted page all work
 * through the proxy and publish only the proxy's URL. nginx connects from 127.0.0.2 ({@code
 * proxy_bind}), the only trusted proxy, so {@code X-Forwarded-For} counts only when nginx sent it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReverseProxyTest {

  private static final String PROXY_ADDRESS = "127.0.0.2";
  private static final String PASSWORD = "correct horse battery staple";

  private Path runDir;
  private final Teardown teardown = new Teardown();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Api api = new Api();
  private LatchkeyProcess auth;
  private Nginx nginx;

  @BeforeAll
  void start() throws Exception {
    String jarProperty = System.getProperty("latchkey.jar");
    if (jarProperty == null || !Files.isRegularFile(Path.of(jarProperty))) {
      fail("latchkey.jar not found at " + jarProperty + ": run through Maven");
    }
    if (Nginx.binary() == null) {
      if (Boolean.getBoolean("scale.tests.required")) {
        fail("the reverse proxy test is required but there is no nginx on the PATH");
      }
      Assumptions.abort("Reverse proxy test skipped: no nginx on the PATH");
    }
    runDir = Files.createTempDirectory("latchkey-proxy-");
    int authPort = Ports.free();
    int proxyPort = Ports.free();
    String publicUrl = "http://127.0.0.1:" + proxyPort;
    List<String> args =
        List.of(
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(authPort),
            "--metrics-port",
            "0",
            "--public-url",
            publicUrl,
            "--audience",
            "proxy-test",
            "--data-dir",
            runDir.resolve("data").toString(),
            "--signup",
            "--require-verified-email=false",
            "--insecure-cookies",
            "--trusted-proxy",
            PROXY_ADDRESS,
            "--throttle-ip",
            "3",
            "--throttle-delay",
            "1m");
    auth =
        teardown.add(
            LatchkeyProcess.launch(
                "auth",
                LatchkeyProcess.command(Path.of(jarProperty), args),
                runDir.resolve("auth.log"),
                authPort,
                "/health"));
    auth.awaitReady(Duration.ofMinutes(3));
    nginx =
        teardown.add(
            Nginx.start(
                runDir.resolve("nginx"),
                proxyPort,
                List.of(authPort),
                "proxy_bind " + PROXY_ADDRESS + ";"));
  }

  @AfterAll
  void stop() {
    teardown.close();
  }

  @Test
  void discoveryAndKeysNameOnlyThePublicUrl() throws Exception {
    HttpResponse<String> discovery = get(nginx.url() + "/.well-known/openid-configuration");
    assertThat(discovery.statusCode()).isEqualTo(200);
    JsonNode doc = Api.JSON.readTree(discovery.body());
    assertThat(doc.get("issuer").asText()).isEqualTo(nginx.url());
    assertThat(doc.get("jwks_uri").asText()).isEqualTo(nginx.url() + "/.well-known/jwks.json");
    assertThat(discovery.body()).doesNotContain(":" + auth.port());

    HttpResponse<String> jwks = get(doc.get("jwks_uri").asText());
    assertThat(jwks.statusCode()).isEqualTo(200);
    assertThat(Api.JSON.readTree(jwks.body()).get("keys").size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void loginThroughTheProxySignsForThePublicIssuer() throws Exception {
    assertThat(api.signup(nginx.url(), "ada@example.com", PASSWORD).status()).isEqualTo(201);
    Api.Outcome login = api.login(nginx.url(), "ada@example.com", PASSWORD, null);
    assertThat(login.status()).isEqualTo(200);
    String token = login.json().get("idToken").asText();
    JsonNode claims = Api.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(claims.get("iss").asText()).isEqualTo(nginx.url());
    assertThat(claims.get("aud").toString()).contains("proxy-test");
  }

  @Test
  void hostedPagePostsAndRedirectsToThePublicUrl() throws Exception {
    api.signup(nginx.url(), "grace@example.com", PASSWORD);
    HttpResponse<String> page = get(nginx.url() + "/login");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("action=\"" + nginx.url() + "/login\"");
    Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(csrf.find()).isTrue();
    String cookie = page.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];

    String form =
        "email="
            + URLEncoder.encode("grace@example.com", StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
            + "&return_to=&csrf="
            + csrf.group(1);
    HttpResponse<String> posted =
        http.send(
            HttpRequest.newBuilder(URI.create(nginx.url() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(posted.headers().firstValue("location")).contains(nginx.url() + "/login/done");
  }

  /**
   * Failures through the proxy, with a forged {@code X-Forwarded-For}, lock the address nginx saw
   * (127.0.0.1), not the forged one and not the proxy's own (127.0.0.2). A direct request from
   * 127.0.0.1 is then locked too, whatever {@code X-Forwarded-For} it claims: only the proxy is
   * believed.
   */
  @Test
  @Order(Integer.MAX_VALUE) // locks 127.0.0.1, the address every other test comes from
  void forwardedForIsTrustedOnlyFromTheProxy() {
    for (int i = 0; i < 3; i++) {
      Api.Outcome failed =
          api.login(nginx.url(), "nobody" + i + "@example.com", "wrong password", "203.0.113.7");
      assertThat(failed.status()).as(failed.body()).isEqualTo(401);
    }
    Api.Outcome locked =
        api.login(nginx.url(), "someone@example.com", "wrong password", "203.0.113.8");
    assertThat(locked.status()).as(locked.body()).isEqualTo(429);

    Api.Outcome direct =
        api.login(auth.url(), "other@example.com", "wrong password", "198.51.100.9");
    assertThat(direct.status()).as(direct.body()).isEqualTo(429);
  }

  /**
   * {@code latchkey keys list} and {@code users add} in their own JVMs while the server runs on the
   * embedded database (H2's automatic mixed mode): no "database in use", no restart.
   */
  @Test
  void operatorCommandsRunBesideTheRunningServer() throws Exception {
    CommandRun keys = latchkey("", "keys", "list");
    assertThat(keys.exitCode()).as(keys.output()).isZero();
    assertThat(keys.output()).contains("active");

    CommandRun add = latchkey("a long enough passphrase\n", "users", "add", "lin@example.com");
    assertThat(add.exitCode()).as(add.output()).isZero();
    Api.Outcome login = api.login(nginx.url(), "lin@example.com", "a long enough passphrase", null);
    assertThat(login.status()).as(login.body()).isEqualTo(200);
  }

  private record CommandRun(int exitCode, String output) {}

  private CommandRun latchkey(String stdin, String... args) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(runDir.resolve("data").toString());
    Path out = Files.createTempFile(runDir, "command", ".log");
    Process process =
        new ProcessBuilder(
                LatchkeyProcess.command(Path.of(System.getProperty("latchkey.jar")), all))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("latchkey " + String.join(" ", args) + " hung:\n" + Files.readString(out));
    }
    return new CommandRun(process.exitValue(), Files.readString(out));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
