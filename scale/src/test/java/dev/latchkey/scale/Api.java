package dev.latchkey.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The HTTP calls of a client of Latchkey: sign-up, login, refresh, logout against an auth server
 * (an instance or the proxy), the protected route of an application server, the JWK Set. Never
 * throws for a failed exchange: an {@link Outcome} with status {@code -1} stands for an I/O error.
 */
final class Api {

  static final String REFRESH_COOKIE = "__Secure-latchkey-refresh";
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** An answer: the status ({@code -1} for an I/O error) and the body (or the error). */
  record Outcome(int status, String body, HttpResponse<String> response) {
    boolean is(int expected) {
      return status == expected;
    }

    /** What a tally counts: the status and the error code of a JSON error, or {@code io-error}. */
    String label() {
      if (status < 0) {
        return "io-error";
      }
      String error = status >= 400 ? error() : "";
      return error.isEmpty() ? String.valueOf(status) : status + " " + error;
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (" + status + "): " + body, e);
      }
    }

    String error() {
      try {
        JsonNode error = JSON.readTree(body).get("error");
        return error == null ? "" : error.asText();
      } catch (IOException | RuntimeException e) {
        return "";
      }
    }

    /** The value a {@code Set-Cookie} of this answer gives the cookie, or null. */
    String cookie(String name) {
      if (response == null) {
        return null;
      }
      for (String header : response.headers().allValues("set-cookie")) {
        if (header.startsWith(name + "=")) {
          int end = header.indexOf(';');
          return header.substring(name.length() + 1, end < 0 ? header.length() : end);
        }
      }
      return null;
    }
  }

  /** A logged-in client: its newest access token and refresh token. */
  static final class Session {
    final String email;
    volatile String idToken;
    volatile String refreshToken;

    Session(String email, String idToken, String refreshToken) {
      this.email = email;
      this.idToken = idToken;
      this.refreshToken = refreshToken;
    }

    /** The {@code sid} claim of the access token. */
    String sid() {
      return claim("sid");
    }

    /** The {@code kid} of the access token's header. */
    String kid() {
      return part(0).get("kid").asText();
    }

    String claim(String name) {
      return part(1).get(name).asText();
    }

    private JsonNode part(int index) {
      try {
        String segment = idToken.split("\\.")[index];
        return JSON.readTree(
            new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  Outcome signup(String base, String email, String password) {
    return post(base + "/api/signup", json(Map.of("email", email, "password", password)), null);
  }

  /** {@code POST /api/login}; {@code forwardedFor} (may be null) is sent as X-Forwarded-For. */
  Outcome login(String base, String email, String password, String forwardedFor) {
    HttpRequest.Builder request =
        jsonPost(base + "/api/login", json(Map.of("email", email, "password", password)));
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return send(request.build());
  }

  /** The session a successful login answer starts. */
  static Session session(String email, Outcome login) {
    return new Session(email, login.json().get("idToken").asText(), login.cookie(REFRESH_COOKIE));
  }

  /** {@code POST /api/refresh} with the session's refresh cookie; a 200 updates the session. */
  Outcome refresh(String base, Session session) {
    Outcome outcome =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/refresh"))
                .timeout(Duration.ofSeconds(10))
                .header("Cookie", REFRESH_COOKIE + "=" + session.refreshToken)
                .header("Content-Type", "application/json") // as a script sends it, not a form
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    if (outcome.is(200)) {
      session.idToken = outcome.json().get("idToken").asText();
      session.refreshToken = outcome.cookie(REFRESH_COOKIE);
    }
    return outcome;
  }

  /** {@code POST /api/logout} naming the session by its bearer token. */
  Outcome logout(String base, Session session) {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/api/logout"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + session.idToken)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  /** {@code GET /api/session}: the auth server's own view of a token. */
  Outcome sessionStatus(String base, String token) {
    return get(base + "/api/session", token);
  }

  /** {@code GET /api/lessons} of an application server: the protected route. */
  Outcome lessons(String appBase, String token) {
    return get(appBase + "/api/lessons", token);
  }

  Outcome get(String url, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  private Outcome post(String url, String body, String forwardedFor) {
    HttpRequest.Builder request = jsonPost(url, body);
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return send(request.build());
  }

  private static HttpRequest.Builder jsonPost(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private Outcome send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Outcome(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      return new Outcome(-1, e.toString(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, e.toString(), null);
    }
  }

  private static String json(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
