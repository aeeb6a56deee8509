package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.javalin.JwtAuth;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 24, the application-server side of what the auth server issues: two instances of an API
 * behind one public URL (as behind a load balancer), each with the verifier's Javalin adapter,
 * accept a bound token with a proof of its key and refuse it as {@code Bearer}. Their replay caches
 * are per instance (the verifier's stated promise): a proof is accepted at most once per instance
 * within its window, so a copied proof can be replayed once at each other instance; the auth
 * server's own replay store is shared by its instances (the database), see {@link
 * #aProofIsSpentForEveryAuthServerInstance}.
 */
class DpopAppServerTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String PUBLIC = "https://api.example.com";

  @RegisterExtension final ClockedServers servers = new ClockedServers();
  @TempDir Path tempDir;
  private AuthServerConfig config;

  @AfterEach
  void dropSchema() {
    if (config != null) {
      TestDatabase.dropSchema(config);
    }
  }

  private final MutableClock clock = servers.clock();

  private AuthServer startAuth() {
    AuthServer server =
        servers.start(
            TestDatabase.H2, c -> c.withSessions(c.sessions().withRefresh(RefreshSettings.on())));
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  /** An API instance: {@code GET /api/lessons} behind the verifier's Javalin adapter. */
  private Javalin app(AuthServer auth) {
    JwtVerifier verifier =
        JwtVerifier.withJwksUrl(URI.create(auth.jwksUrl()))
            .issuer(auth.issuer())
            .audience(auth.store().config().tokens().audience())
            .clock(clock)
            .build();
    JwtAuth bearer = JwtAuth.bearer(verifier).publicBaseUrl(URI.create(PUBLIC));
    return Javalin.create(
            config -> {
              config.routes.before("/api/lessons", bearer.required());
              config.routes.get("/api/lessons", ctx -> ctx.json(Map.of("lessons", 3)));
            })
        .start("127.0.0.1", 0);
  }

  private static HttpResponse<String> lessons(Javalin app, String... headers) {
    return TestHttp.get("http://127.0.0.1:" + app.port() + "/api/lessons", headers);
  }

  private String boundToken(AuthServer auth, DpopKey key) {
    String loginUrl = auth.publicUrl() + "/api/login";
    HttpResponse<String> r =
        TestHttp.postJson(
            loginUrl,
            TestHttp.credentials(EMAIL, PASSWORD),
            "DPoP",
            key.proof("POST", loginUrl, clock.instant(), null));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("tokenType").asText()).isEqualTo("DPoP");
    return json(r).get("idToken").asText();
  }

  @Test
  void anApiAcceptsTheBoundTokenWithAProofAndRefusesItAsBearer() {
    DpopKey key = DpopKey.generate();
    DpopKey other = DpopKey.generate();
    try (AuthServer auth = startAuth()) {
      Javalin app = app(auth);
      try {
        String token = boundToken(auth, key);
        String url = PUBLIC + "/api/lessons";

        HttpResponse<String> ok =
            lessons(
                app,
                "Authorization",
                "DPoP " + token,
                "DPoP",
                key.proof("GET", url, clock.instant(), null, token));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

        HttpResponse<String> bearer = lessons(app, "Authorization", "Bearer " + token);
        assertThat(bearer.statusCode()).isEqualTo(401);
        assertThat(json(bearer).get("error").asText()).isEqualTo("dpop_required");
        assertThat(bearer.headers().firstValue("WWW-Authenticate").orElseThrow())
            .startsWith("DPoP ");

        HttpResponse<String> wrongKey =
            lessons(
                app,
                "Authorization",
                "DPoP " + token,
                "DPoP",
                other.proof("GET", url, clock.instant(), null, token));
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(wrongKey.headers().firstValue("WWW-Authenticate").orElseThrow())
            .contains("error=\"invalid_dpop_proof\"");
      } finally {
        app.stop();
      }
    }
  }

  /**
   * Two auth server instances on one database (H2 or PostgreSQL) behind one public URL share the
   * proofs they accepted: a login proof spent at one is a replay at the other.
   */
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aProofIsSpentForEveryAuthServerInstance(TestDatabase db) {
    DpopKey key = DpopKey.generate();
    AuthServerConfig fresh = TestDatabase.quiet(db.freshConfig(tempDir)).withClock(clock);
    config = fresh.withHttp(fresh.http().withPublicUrl("https://auth.example.com"));
    try (AuthServer first = AuthServer.start(config);
        AuthServer second = AuthServer.start(config)) {
      first.store().users().add(EMAIL, PASSWORD.toCharArray());
      String proof = key.proof("POST", "https://auth.example.com/api/login", clock.instant(), null);
      String body = TestHttp.credentials(EMAIL, PASSWORD);
      HttpResponse<String> accepted =
          TestHttp.postJson(first.baseUrl() + "/api/login", body, "DPoP", proof);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
      assertThat(json(accepted).get("tokenType").asText()).isEqualTo("DPoP");

      HttpResponse<String> replayed =
          TestHttp.postJson(second.baseUrl() + "/api/login", body, "DPoP", proof);
      assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(400);
      assertThat(json(replayed).get("message").asText())
          .isEqualTo(RejectionReason.DPOP_PROOF_REPLAYED.message());
    }
  }

  @Test
  void aProofIsAcceptedOncePerApiInstanceWithinItsWindow() {
    DpopKey key = DpopKey.generate();
    try (AuthServer auth = startAuth()) {
      Javalin first = app(auth);
      Javalin second = app(auth);
      try {
        String token = boundToken(auth, key);
        String proof = key.proof("GET", PUBLIC + "/api/lessons", clock.instant(), null, token);
        String[] request = {"Authorization", "DPoP " + token, "DPoP", proof};

        assertThat(lessons(first, request).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = lessons(first, request);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(json(replayed).get("error").asText()).isEqualTo("dpop_proof_replayed");

        // per instance: the other instance has not seen it, and accepts it once
        assertThat(lessons(second, request).statusCode()).isEqualTo(200);
        assertThat(lessons(second, request).statusCode()).isEqualTo(401);
      } finally {
        first.stop();
        second.stop();
      }
    }
  }
}
