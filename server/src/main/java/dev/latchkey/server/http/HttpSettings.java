package dev.latchkey.server.http;

import dev.latchkey.verifier.javalin.SlowClients;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP server and who may call it.
 *
 * @param host the address the HTTP server binds to
 * @param port the HTTP port; 0 picks a free port
 * @param corsOrigins exact origins allowed to call the API from a browser (no wildcard)
 * @param signupEnabled whether {@code POST /api/signup} exists
 * @param publicUrl the URL browsers and verifiers reach this server at (behind a reverse proxy: the
 *     proxy's {@code https://auth.example.com}), without a trailing slash; every URL the server
 *     publishes starts with it. {@code null} means the issuer when that is an http(s) URL, else
 *     {@link #baseUrl(int)}
 * @param slowClients the idle timeout and minimum request-data rate of the HTTP server
 * @param metricsHost the address the metrics server binds to: loopback ({@link
 *     #DEFAULT_METRICS_HOST}) unless an operator exposes it
 * @param metricsPort the port of a separate HTTP server on {@code metricsHost} that alone serves
 *     {@code GET /metrics} (0 picks a free port), or {@code null} for no metrics server. The public
 *     port never serves {@code /metrics}: request counts, key ages and failure rates are for the
 *     operator, not for whoever can reach the login page
 * @param rpId the passkeys' relying-party ID (a host name: the public URL's host or a parent domain
 *     of it), or {@code null} for the public URL's host. Passkeys are registered for it: changing
 *     it later strands every registered passkey
 */
public record HttpSettings(
    String host,
    int port,
    List<String> corsOrigins,
    boolean signupEnabled,
    String publicUrl,
    SlowClients slowClients,
    String metricsHost,
    Integer metricsPort,
    String rpId) {

  public static final int DEFAULT_PORT = 9000;

  /** The metrics server's port in {@code latchkey serve} (the usual Prometheus exporter port). */
  public static final int DEFAULT_METRICS_PORT = 9464;

  /** The metrics server's address unless an operator exposes it: loopback only. */
  public static final String DEFAULT_METRICS_HOST = "127.0.0.1";

  public HttpSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    corsOrigins = List.copyOf(Objects.requireNonNull(corsOrigins, "corsOrigins"));
    for (String origin : corsOrigins) {
      if (origin.contains("*") || !origin.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException(
            "a CORS origin is scheme://host[:port] without wildcard or path, got " + origin);
      }
    }
    Objects.requireNonNull(slowClients, "slowClients");
    Objects.requireNonNull(metricsHost, "metricsHost");
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new IllegalArgumentException("metrics port must be 0..65535, got " + metricsPort);
    }
    if (publicUrl != null) {
      publicUrl = publicUrl.strip();
      while (publicUrl.endsWith("/")) {
        publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
      }
      if (!isHttpUrl(publicUrl)) {
        throw new IllegalArgumentException(
            "the public URL is http(s)://host[:port][/path] without query, got " + publicUrl);
      }
    }
  }

  public HttpSettings(
      String host, int port, List<String> corsOrigins, boolean signupEnabled, String publicUrl) {
    this(
        host,
        port,
        corsOrigins,
        signupEnabled,
        publicUrl,
        SlowClients.defaults(),
        DEFAULT_METRICS_HOST,
        null,
        null);
  }

  public HttpSettings(String host, int port, List<String> corsOrigins, boolean signupEnabled) {
    this(host, port, corsOrigins, signupEnabled, null);
  }

  /** A metrics server on {@code metricsHost} at this port (0: a free one), {@code null}: none. */
  public HttpSettings withMetricsPort(Integer v) {
    return new HttpSettings(
        host, port, corsOrigins, signupEnabled, publicUrl, slowClients, metricsHost, v, rpId);
  }

  /** The metrics server's bind address ({@code 0.0.0.0} exposes it on every interface). */
  public HttpSettings withMetricsHost(String v) {
    return new HttpSettings(
        host, port, corsOrigins, signupEnabled, publicUrl, slowClients, v, metricsPort, rpId);
  }

  public HttpSettings withSlowClients(SlowClients v) {
    return new HttpSettings(
        host, port, corsOrigins, signupEnabled, publicUrl, v, metricsHost, metricsPort, rpId);
  }

  /** The passkeys' relying-party ID ({@code --rp-id}); {@code null}: the public URL's host. */
  public HttpSettings withRpId(String v) {
    return new HttpSettings(
        host,
        port,
        corsOrigins,
        signupEnabled,
        publicUrl,
        slowClients,
        metricsHost,
        metricsPort,
        v);
  }

  /** Whether a value is an absolute {@code http(s)} URL without query or fragment. */
  public static boolean isHttpUrl(String value) {
    return value != null && value.matches("https?://[^/\\s?#]+(/[^\\s?#]*)?");
  }

  /**
   * Every interface, port 9000, no CORS origin, sign-up off, no metrics server (an embedded server
   * or a test asks for one with {@link #withMetricsPort}; {@code latchkey serve} starts one on
   * {@code 127.0.0.1:9464}).
   */
  public static HttpSettings defaults() {
    return new HttpSettings("0.0.0.0", DEFAULT_PORT, List.of(), false);
  }

  public HttpSettings withAddress(String host, int port) {
    return new HttpSettings(
        host,
        port,
        corsOrigins,
        signupEnabled,
        publicUrl,
        slowClients,
        metricsHost,
        metricsPort,
        rpId);
  }

  public HttpSettings withPublicUrl(String v) {
    return new HttpSettings(
        host, port, corsOrigins, signupEnabled, v, slowClients, metricsHost, metricsPort, rpId);
  }

  public HttpSettings withPort(int v) {
    return withAddress(host, v);
  }

  public HttpSettings withCorsOrigins(List<String> v) {
    return new HttpSettings(
        host, port, v, signupEnabled, publicUrl, slowClients, metricsHost, metricsPort, rpId);
  }

  public HttpSettings withSignupEnabled(boolean v) {
    return new HttpSettings(
        host, port, corsOrigins, v, publicUrl, slowClients, metricsHost, metricsPort, rpId);
  }

  /**
   * The URL this server is reached at on a port: {@code http://host:port}, with {@code localhost}
   * for a wildcard bind address.
   */
  public String baseUrl(int actualPort) {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    return "http://" + shown + ":" + (actualPort == 0 ? port : actualPort);
  }
}
