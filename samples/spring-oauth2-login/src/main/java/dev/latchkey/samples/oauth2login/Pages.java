package dev.latchkey.samples.oauth2login;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.annotation.RegisteredOAuth2AuthorizedClient;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.HtmlUtils;

/**
 * The application's pages: who is signed in (from the ID token and the provider's userinfo), the
 * lessons an API serves to the user's access token, and where a logout ends.
 */
@RestController
class Pages {
  static final String SIGNED_OUT = "/signed-out";

  private final URI lessonsUrl;
  private final RestClient http = RestClient.create();

  Pages(@Value("${sample.lessons-url}") URI lessonsUrl) {
    this.lessonsUrl = lessonsUrl;
  }

  @GetMapping(value = "/", produces = "text/html")
  String home(@AuthenticationPrincipal OidcUser user, CsrfToken csrf) {
    List<String> amr = user.getAuthenticationMethods();
    String fromUserInfo = user.getUserInfo() == null ? "" : user.getUserInfo().getEmail();
    return page(
        "Signed in",
        "<p>Signed in as <span id=\"email\">"
            + text(user.getEmail())
            + "</span> (<span id=\"subject\">"
            + text(user.getSubject())
            + "</span>), by <span id=\"amr\">"
            + text(amr == null ? "" : String.join(" ", amr))
            + "</span>.</p>\n<p>Userinfo says <span id=\"userinfo-email\">"
            + text(fromUserInfo)
            + "</span>.</p>\n<p><a id=\"lessons\" href=\"/lessons\">Lessons</a></p>\n"
            + "<form method=\"post\" action=\"/logout\">"
            + "<input type=\"hidden\" name=\""
            + text(csrf.getParameterName())
            + "\" value=\""
            + text(csrf.getToken())
            + "\"><button id=\"sign-out\" type=\"submit\">Sign out</button></form>");
  }

  /** The API called with the signed-in user's access token (refreshed when it is about to end). */
  @GetMapping(value = "/lessons", produces = "text/html")
  String lessons(@RegisteredOAuth2AuthorizedClient("latchkey") OAuth2AuthorizedClient client) {
    String answer =
        http.get()
            .uri(lessonsUrl)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + client.getAccessToken().getTokenValue())
            .exchange(
                (request, response) ->
                    response.getStatusCode().value()
                        + " "
                        + new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
    return page(
        "Lessons",
        "<p>The API answered <span id=\"api-answer\">"
            + text(answer)
            + "</span>.</p>\n<p><a href=\"/\">Back</a></p>");
  }

  @GetMapping(value = SIGNED_OUT, produces = "text/html")
  String signedOut() {
    return page("Signed out", "<p id=\"signed-out\">You are signed out.</p>");
  }

  private static String page(String title, String body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + text(title)
        + "</title></head>\n<body>\n<h1>"
        + text(title)
        + "</h1>\n"
        + body
        + "\n</body></html>\n";
  }

  private static String text(String s) {
    return HtmlUtils.htmlEscape(s == null ? "" : s);
  }
}
