package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testing.HttpReference;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/server.md's table of the demo application server is its route table; and the server listens
 * on the host it is given ({@code latchkey app --host}).
 */
class DemoHttpReferenceTest {
  static final String SECTION = "## The demo application server";
  private static final URI NO_AUTH_SERVER = URI.create("http://127.0.0.1:9");

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
    Path page = serverMd();
    try (DemoServer server =
        DemoServer.start(DemoConfig.defaults().withPort(0).withAuthUrl(NO_AUTH_SERVER))) {
      assertThat(server.routes()).contains("GET /api/lessons", "GET /config.json");
      HttpReference.assertSame(
          server.routes(), HttpReference.documentedRoutes(page, SECTION), page, SECTION);
    }
  }

  @Test
  void itListensOnTheHostItIsGivenOnly() throws Exception {
    try (DemoServer server =
        DemoServer.start(
            DemoConfig.defaults().withHost("127.0.0.2").withPort(0).withAuthUrl(NO_AUTH_SERVER))) {
      assertThat(server.baseUrl()).isEqualTo("http://127.0.0.2:" + server.port());
      assertThat(status("http://127.0.0.2:" + server.port() + "/api/status")).isEqualTo(200);
      assertThatThrownBy(() -> status("http://127.0.0.1:" + server.port() + "/api/status"))
          .isInstanceOf(ConnectException.class);
    }
  }

  private static int status(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  static Path serverMd() {
    Path here = Path.of("").toAbsolutePath();
    while (here != null && !Files.exists(here.resolve("docs/server.md"))) {
      here = here.getParent();
    }
    assertThat(here).as("the checkout's docs/ folder").isNotNull();
    return here.resolve("docs/server.md");
  }
}
