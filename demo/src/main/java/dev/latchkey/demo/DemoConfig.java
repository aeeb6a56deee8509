package dev.latchkey.demo;

import dev.latchkey.verifier.javalin.SlowClients;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of the demo application server.
 *
 * @param port the HTTP port (0 picks a free one)
 * @param authUrl base URL of the auth server: the token issuer, and where the client logs in
 * @param audience the {@code aud} that session tokens must carry
 * @param delivery {@code body} (the seed's choice: a bearer token from localStorage) or {@code
 *     cookie} (an HttpOnly cookie with XSRF double-submit)
 * @param cookieName the session cookie's name in cookie mode
 * @param signupEnabled whether the client offers the sign-up page
 * @param extraApiOrigins API origins besides this server's own that the client may send the token
 *     to
 * @param revocationPollInterval how often the auth server's revocation feed is read: a logged-out
 *     session stops opening the API within this plus the feed's max-age
 * @param metricsPort the port of a separate HTTP server that alone serves {@code GET /metrics}
 *     (then not on {@code port}), or null to serve it on {@code port}
 * @param verifiedTokenCache whether the verifier keeps its verified-token cache (on by default; off
 *     only to measure what it saves)
 * @param slowClients the HTTP server's idle timeout and minimum request-data rate
 * @param adminRequiresSecondFactor whether {@code GET /api/admin/progress} also needs a token that
 *     says the user passed a second factor ({@code mfa} in {@code amr}); off by default, so that
 *     the demo admin can sign in with the printed password alone
 * @param host the address the server listens on: {@code localhost} by default; {@code 0.0.0.0} (or
 *     an internal interface's address) for a reverse proxy on another machine
 * @param codeFlowClientId the client id the Angular client signs in as with the OpenID Connect code
 *     flow (registered at the auth server as a public client), or null for the library's own login;
 *     body delivery only
 */
public record DemoConfig(
    int port,
    URI authUrl,
    String audience,
    String delivery,
    String cookieName,
    boolean signupEnabled,
    List<String> extraApiOrigins,
    Duration revocationPollInterval,
    boolean verifiedTokenCache,
    Integer metricsPort,
    SlowClients slowClients,
    boolean adminRequiresSecondFactor,
    String host,
    String codeFlowClientId) {

  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_AUTH_URL = "http://localhost:9000";
  public static final String DEFAULT_AUDIENCE = "latchkey-demo";
  public static final String DEFAULT_COOKIE_NAME = "__Host-latchkey";
  public static final Duration DEFAULT_REVOCATION_POLL_INTERVAL = Duration.ofSeconds(30);

  public DemoConfig {
    if (!delivery.equals("body") && !delivery.equals("cookie")) {
      throw new IllegalArgumentException("delivery must be 'body' or 'cookie', not " + delivery);
    }
    extraApiOrigins = List.copyOf(extraApiOrigins);
    Objects.requireNonNull(slowClients, "slowClients");
    Objects.requireNonNull(host, "host");
    if (codeFlowClientId != null && !delivery.equals("body")) {
      throw new IllegalArgumentException("the code flow needs delivery 'body'");
    }
  }

  public static DemoConfig defaults() {
    return new DemoConfig(
        DEFAULT_PORT,
        URI.create(DEFAULT_AUTH_URL),
        DEFAULT_AUDIENCE,
        "body",
        DEFAULT_COOKIE_NAME,
        true,
        List.of(),
        DEFAULT_REVOCATION_POLL_INTERVAL,
        true,
        null,
        SlowClients.defaults(),
        false,
        DEFAULT_HOST,
        null);
  }

  public DemoConfig withPort(int v) {
    return with(d -> d.port = v);
  }

  public DemoConfig withAuthUrl(URI v) {
    return with(d -> d.authUrl = v);
  }

  public DemoConfig withAudience(String v) {
    return with(d -> d.audience = v);
  }

  public DemoConfig withDelivery(String v) {
    return with(d -> d.delivery = v);
  }

  public DemoConfig withCookieName(String v) {
    return with(d -> d.cookieName = v);
  }

  public DemoConfig withSignupEnabled(boolean v) {
    return with(d -> d.signupEnabled = v);
  }

  public DemoConfig withRevocationPollInterval(Duration v) {
    return with(d -> d.revocationPollInterval = v);
  }

  public DemoConfig withVerifiedTokenCache(boolean v) {
    return with(d -> d.verifiedTokenCache = v);
  }

  public DemoConfig withMetricsPort(Integer v) {
    return with(d -> d.metricsPort = v);
  }

  public DemoConfig withSlowClients(SlowClients v) {
    return with(d -> d.slowClients = v);
  }

  public DemoConfig withAdminRequiresSecondFactor(boolean v) {
    return with(d -> d.adminRequiresSecondFactor = v);
  }

  public DemoConfig withHost(String v) {
    return with(d -> d.host = v);
  }

  public DemoConfig withCodeFlowClientId(String v) {
    return with(d -> d.codeFlowClientId = v);
  }

  private DemoConfig with(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /** A mutable copy, so that each wither names only the field it changes. */
  private static final class Draft {
    int port;
    URI authUrl;
    String audience;
    String delivery;
    String cookieName;
    boolean signupEnabled;
    List<String> extraApiOrigins;
    Duration revocationPollInterval;
    boolean verifiedTokenCache;
    Integer metricsPort;
    SlowClients slowClients;
    boolean adminRequiresSecondFactor;
    String host;
    String codeFlowClientId;

    Draft(DemoConfig c) {
      port = c.port;
      authUrl = c.authUrl;
      audience = c.audience;
      delivery = c.delivery;
      cookieName = c.cookieName;
      signupEnabled = c.signupEnabled;
      extraApiOrigins = c.extraApiOrigins;
      revocationPollInterval = c.revocationPollInterval;
      verifiedTokenCache = c.verifiedTokenCache;
      metricsPort = c.metricsPort;
      slowClients = c.slowClients;
      adminRequiresSecondFactor = c.adminRequiresSecondFactor;
      host = c.host;
      codeFlowClientId = c.codeFlowClientId;
    }

    DemoConfig build() {
      return new DemoConfig(
          port,
          authUrl,
          audience,
          delivery,
          cookieName,
          signupEnabled,
          extraApiOrigins,
          revocationPollInterval,
          verifiedTokenCache,
          metricsPort,
          slowClients,
          adminRequiresSecondFactor,
          host,
          codeFlowClientId);
    }
  }

  /** The issuer is the auth server's base URL, without a trailing slash. */
  public String issuer() {
    String url = authUrl.toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public URI revocationsUrl() {
    return URI.create(issuer() + "/api/revocations");
  }

  public URI jwksUrl() {
    return URI.create(issuer() + "/.well-known/jwks.json");
  }
}
