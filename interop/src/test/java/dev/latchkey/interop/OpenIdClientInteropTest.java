package dev.latchkey.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.tokens.TokenSettings;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RevocationSettings;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.wire.BearerToken;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23: openid-client (panva, v6, {@code interop/node/oidc-signin.mjs}), which nobody here
 * wrote, signs a user in against a real Latchkey auth server configured with nothing but the
 * issuer, a client id and a redirect URI: PKCE, the hosted login page, a protected route called
 * with the access token, userinfo, a refresh and RP-initiated logout, whose revocation the
 * protected route sees. Skipped with {@code -Dskip.npm} or without {@code node}.
 */
@DisabledIfSystemProperty(
    named = "skip.npm",
    matches = "true",
    disabledReason = "openid-client interop test skipped: -Dskip.npm was given")
@EnabledIf(
    value = "dev.latchkey.interop.ExpressJwtInteropTest#nodeAvailable",
    disabledReason = "openid-client interop test skipped: no `node` on this machine's PATH")
class OpenIdClientInteropTest {
  private static final String CLIENT_ID = "node-app";

  @TempDir Path dataDir;

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS) // npm ci may download
  void openIdClientSignsInCallsAProtectedRouteRefreshesReadsUserinfoAndLogsOut() throws Exception {
    Path nodeDir = ExpressJwtInteropTest.nodeDir();
    ExpressJwtInteropTest.installIfNeeded(nodeDir);
    try (LatchkeyFixture latchkey =
            LatchkeyFixture.start(
                dataDir,
                TokenSettings.defaults().type(),
                // no minimum interval between refreshes, so that the client's refresh rotates
                c ->
                    c.withSessions(
                        c.sessions()
                            .withRefresh(RefreshSettings.on().withMinInterval(Duration.ZERO))));
        JwtVerifier verifier =
            JwtVerifier.withIssuerUri(URI.create(latchkey.issuer()))
                .audience(LatchkeyFixture.AUDIENCE)
                .revocationFeed(
                    RevocationSettings.builder(
                            URI.create(latchkey.server().baseUrl() + "/api/revocations"))
                        .build())
                .build()) {
      // registered with a loopback redirect URI without port: the client uses any port
      latchkey
          .server()
          .store()
          .oidcClients()
          .add(
              CLIENT_ID,
              List.of("http://127.0.0.1/callback"),
              null,
              List.of("http://127.0.0.1:49153/signed-out"));
      HttpServer app = protectedRoute(verifier);
      try {
        ProcessBuilder builder =
            new ProcessBuilder("node", "oidc-signin.mjs")
                .directory(nodeDir.toFile())
                .redirectError(
                    Files.createDirectories(Path.of("target")).resolve("oidc-signin.log").toFile());
        builder.environment().put("LATCHKEY_ISSUER", latchkey.issuer());
        builder.environment().put("CLIENT_ID", CLIENT_ID);
        builder.environment().put("REDIRECT_URI", "http://127.0.0.1:49152/callback");
        builder.environment().put("POST_LOGOUT_REDIRECT_URI", "http://127.0.0.1:49153/signed-out");
        builder.environment().put("EMAIL", LatchkeyFixture.EMAIL);
        builder.environment().put("PASSWORD", LatchkeyFixture.PASSWORD);
        builder
            .environment()
            .put(
                "PROTECTED_URL", "http://127.0.0.1:" + app.getAddress().getPort() + "/api/lessons");
        Process node = builder.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue())
            .as("node oidc-signin.mjs failed; see target/oidc-signin.log. It printed: %s", out)
            .isZero();
        JsonNode seen = new ObjectMapper().readTree(out);

        assertThat(seen.get("hops").toString()).contains("/authorize", "/login");
        assertThat(seen.get("sub").asText()).isEqualTo(latchkey.userId());
        assertThat(seen.get("aud").toString()).contains(CLIENT_ID);
        assertThat(seen.get("nonceMatched").asBoolean()).isTrue();
        assertThat(seen.get("protectedStatus").asInt()).isEqualTo(200);
        assertThat(seen.get("protectedBody").asText()).isEqualTo(latchkey.userId());
        assertThat(seen.get("userinfo").get("email").asText()).isEqualTo(LatchkeyFixture.EMAIL);
        assertThat(seen.get("refreshedAccessToken").asBoolean()).isTrue();
        assertThat(seen.get("logoutStatus").asInt()).isEqualTo(302);
        assertThat(seen.get("logoutLocation").asText())
            .isEqualTo("http://127.0.0.1:49153/signed-out?state=bye");
        assertThat(seen.get("ssoCookieLeft").asBoolean()).isFalse();
        // the logout revoked the session: the application server, reading the feed, refuses it
        assertThat(seen.get("afterLogoutStatus").asInt()).isEqualTo(401);
      } finally {
        app.stop(0);
      }
    }
  }

  /**
   * An application server's protected route: the verifier configured from the issuer, the
   * revocation feed read before each request (so a logout shows at once).
   */
  private static HttpServer protectedRoute(JwtVerifier verifier) throws Exception {
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext(
        "/api/lessons",
        exchange -> {
          int status;
          String body;
          try {
            verifier.refreshRevocations();
            VerifiedToken token =
                verifier.verify(
                    BearerToken.parse(exchange.getRequestHeaders().getFirst("Authorization")));
            status = 200;
            body = token.subject();
          } catch (TokenRejectedException e) {
            status = 401;
            body = e.reason().toString();
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    app.start();
    return app;
  }
}
