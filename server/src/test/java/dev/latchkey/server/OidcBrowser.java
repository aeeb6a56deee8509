package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser for the OpenID provider's tests, over real HTTP: a cookie jar, redirects followed by
 * hand (so each hop is visible), and the hosted login form filled in when the flow reaches it.
 */
final class OidcBrowser {
  private final AuthServer server;
  private final Map<String, String> cookies = new LinkedHashMap<>();

  OidcBrowser(AuthServer server) {
    this.server = server;
  }

  /** A PKCE pair. */
  record Pkce(String verifier, String challenge) {
    static Pkce fresh() {
      CodeVerifier v = new CodeVerifier();
      return new Pkce(v.getValue(), CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue());
    }
  }

  /** The authorization request URL for these parameters. */
  String authorizeUrl(Map<String, String> params) {
    return server.baseUrl() + "/authorize?" + form(params);
  }

  /** The usual request of a client: code, openid email offline_access, S256, state and nonce. */
  static Map<String, String> request(String clientId, String redirectUri, Pkce pkce) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("response_type", "code");
    p.put("client_id", clientId);
    p.put("redirect_uri", redirectUri);
    p.put("scope", "openid email offline_access");
    p.put("state", "state-" + clientId);
    p.put("nonce", "nonce-" + clientId);
    p.put("code_challenge", pkce.challenge());
    p.put("code_challenge_method", "S256");
    return p;
  }

  HttpResponse<String> get(String url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (!cookies.isEmpty()) {
      b.header("Cookie", cookieHeader());
    }
    return keep(TestHttp.send(b.GET().build()));
  }

  HttpResponse<String> postForm(String url, Map<String, String> fields) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
    if (!cookies.isEmpty()) {
      b.header("Cookie", cookieHeader());
    }
    return keep(TestHttp.send(b.build()));
  }

  /**
   * Follows the authorization request through the hosted login page (signing in with these
   * credentials when it is shown) until the answer leaves the auth server: that redirect.
   */
  URI authorize(String authorizeUrl, String email, String password) {
    return authorize(authorizeUrl, email, password, null);
  }

  /**
   * As {@link #authorize(String, String, String)}, answering the second step (the code form the
   * hosted page shows after the password of a user with a second factor) with {@code code}.
   */
  URI authorize(String authorizeUrl, String email, String password, Supplier<String> code) {
    HttpResponse<String> r = get(authorizeUrl);
    for (int hops = 0; hops < 6; hops++) {
      String location = r.headers().firstValue("Location").orElse(null);
      if (r.statusCode() == 200) { // the page that continues after the login form
        location = continuation(r.body());
      } else {
        assertThat(r.statusCode()).as("hop %s: %s", hops, r.body()).isIn(302, 303);
      }
      if (!location.startsWith(server.baseUrl())) {
        return URI.create(location);
      }
      if (location.startsWith(server.baseUrl() + "/login")) {
        HttpResponse<String> page = get(location);
        assertThat(page.statusCode()).isEqualTo(200);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", email);
        fields.put("password", password);
        fields.put("return_to", unescape(HostedLoginTest.hidden(page.body(), "return_to")));
        fields.put("csrf", HostedLoginTest.hidden(page.body(), "csrf"));
        r = postForm(server.baseUrl() + "/login", fields);
        if (r.statusCode() == 200 && r.body().contains("name=\"mfa_token\"")) {
          assertThat(code).as("a second step was asked for").isNotNull();
          Map<String, String> step = new LinkedHashMap<>();
          step.put("csrf", HostedLoginTest.hidden(r.body(), "csrf"));
          step.put("return_to", unescape(HostedLoginTest.hidden(r.body(), "return_to")));
          step.put("mfa_token", HostedLoginTest.hidden(r.body(), "mfa_token"));
          step.put("code", code.get());
          r = postForm(server.baseUrl() + "/login", step);
        }
      } else {
        r = get(location);
      }
    }
    throw new AssertionError("too many redirects");
  }

  /** Where a continuation page (meta refresh and link) leads. */
  static String continuation(String html) {
    Matcher m =
        Pattern.compile("<meta http-equiv=\"refresh\" content=\"0;url=([^\"]*)\">").matcher(html);
    assertThat(m.find()).as("a meta refresh in %s", html).isTrue();
    return unescape(m.group(1));
  }

  /** An attribute value as the browser reads it. */
  static String unescape(String html) {
    return html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  /** The hidden fields of the page's form, in order, as the browser would post them. */
  static Map<String, String> hiddenFields(String html) {
    Matcher m =
        Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")
            .matcher(html);
    Map<String, String> fields = new LinkedHashMap<>();
    while (m.find()) {
      fields.put(unescape(m.group(1)), unescape(m.group(2)));
    }
    return fields;
  }

  boolean has(String cookie) {
    return cookies.containsKey(cookie);
  }

  static Map<String, String> query(URI uri) {
    return URLUtils.parseParameters(uri.getRawQuery()).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
  }

  static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private HttpResponse<String> keep(HttpResponse<String> response) {
    List<String> setCookies = response.headers().allValues("Set-Cookie");
    for (String header : setCookies) {
      String pair = header.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq);
      String value = pair.substring(eq + 1);
      if (value.isEmpty() || header.contains("Max-Age=0")) {
        cookies.remove(name);
      } else if (!header.contains("Path=/api/refresh")) {
        cookies.put(name, value);
      }
    }
    return response;
  }

  private String cookieHeader() {
    return cookies.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
  }
}
