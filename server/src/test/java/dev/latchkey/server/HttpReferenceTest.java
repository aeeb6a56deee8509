package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testing.HttpReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/server.md's table of endpoints is the auth server's route table: a route registered without
 * a row, or a row naming a route that is not registered, fails here with the route's name.
 */
class HttpReferenceTest {
  static final String SECTION = "## Endpoints";

  @TempDir Path tempDir;

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
    Path page = serverMd();
    // every route family on: the hosted login page (and with it the OpenID provider) is on by
    // default, sign-up and refresh only change what their routes answer
    try (AuthServer server = AuthServer.start(TestDatabase.H2.freshConfig(tempDir))) {
      assertThat(server.routes()).contains("POST /api/login", "GET /authorize");
      HttpReference.assertSame(
          server.routes(), HttpReference.documentedRoutes(page, SECTION), page, SECTION);
    }
  }

  @Test
  void aDriftIsNamed() throws Exception {
    Path page = serverMd();
    Set<String> documented = HttpReference.documentedRoutes(page, SECTION);
    List<String> routes = new ArrayList<>(documented);
    routes.remove("POST /api/login");
    routes.add("POST /api/undocumented");
    assertThatThrownBy(() -> HttpReference.assertSame(routes, documented, page, SECTION))
        .hasMessageContaining(
            "POST /api/undocumented is a route without an entry in server.md, ## Endpoints")
        .hasMessageContaining(
            "POST /api/login is documented in server.md, ## Endpoints, but no such route exists");
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
