package dev.latchkey.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests the soak and the flood send, over one {@link HttpClient} (HTTP/1.1, kept-alive
 * connections). Each returns the status code; bodies are read and dropped.
 */
final class Calls {
  static final String REFRESH_COOKIE = "__Secure-latchkey-refresh";
  private static final Pattern COOKIE = Pattern.compile(REFRESH_COOKIE + "=([^;]+)");

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String authUrl;
  private final String appUrl;

  Calls(String authUrl, String appUrl) {
    this.authUrl = authUrl;
    this.appUrl = appUrl;
  }

  String authUrl() {
    return authUrl;
  }

  /** A session whose refresh token rotates with each refresh; used by one request at a time. */
  static final class Session {
    volatile String refreshToken;

    Session(String refreshToken) {
      this.refreshToken = refreshToken;
    }
  }

  int lessons(String token) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(appUrl + "/api/lessons"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .build());
  }

  int jwks() throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(authUrl + "/.well-known/jwks.json"))
            .timeout(Duration.ofSeconds(30))
            .build());
  }

  /** A login. */
  HttpResponse<String> login(String email, String password)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(authUrl + "/api/login"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A real login that must succeed; its session, for {@link #refresh}. */
  Session logIn(String email, String password) throws IOException, InterruptedException {
    HttpResponse<String> r = login(email, password);
    Optional<String> cookie = refreshCookie(r);
    if (r.statusCode() != 200 || cookie.isEmpty()) {
      throw new IllegalStateException("login of " + email + " answered " + r.statusCode());
    }
    return new Session(cookie.get());
  }

  /** {@code POST /api/refresh}; a 200 rotates the session's refresh token. */
  int refresh(Session session) throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(authUrl + "/api/refresh"))
                .header("Cookie", REFRESH_COOKIE + "=" + session.refreshToken)
                .header("Content-Type", "application/json") // as a script sends it, not a form
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 200) {
      refreshCookie(r).ifPresent(t -> session.refreshToken = t);
    }
    return r.statusCode();
  }

  private static Optional<String> refreshCookie(HttpResponse<?> r) {
    for (String header : r.headers().allValues("Set-Cookie")) {
      Matcher m = COOKIE.matcher(header);
      if (m.find() && !m.group(1).isEmpty()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  private int send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
