package dev.latchkey.server.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which redirect URIs a client may register, and when a presented one matches a registered one:
 * exactly, character for character (RFC 9700 §4.1.3), except that a registered loopback IP address
 * over {@code http} matches any port (RFC 8252 §7.3: a native client listens on a port the system
 * gives it).
 *
 * <p>Registrable: {@code https} URIs; {@code http} only on a loopback host ({@code 127.0.0.1},
 * {@code [::1]}, {@code localhost}); private-use schemes of native apps ({@code
 * com.example.app:/callback}). Never a fragment, user info or a wildcard.
 */
public final class RedirectUris {
  private static final Set<String> LOOPBACK_IPS = Set.of("127.0.0.1", "[::1]");
  private static final int MAX_LENGTH = 2000;

  private RedirectUris() {}

  /** Why {@code uri} cannot be registered, or empty when it can. */
  public static Optional<String> problem(String uri) {
    if (uri == null || uri.isEmpty() || uri.length() > MAX_LENGTH) {
      return Optional.of("a redirect URI is 1 to " + MAX_LENGTH + " characters");
    }
    if (uri.contains("*")) {
      return Optional.of("no wildcards: a redirect URI is matched exactly");
    }
    Optional<URI> parsed = parse(uri);
    if (parsed.isEmpty()) {
      return Optional.of("not an absolute URI without fragment or user info: " + uri);
    }
    URI u = parsed.get();
    String scheme = u.getScheme();
    if (scheme.equals("https") || scheme.equals("http")) {
      if (u.getHost() == null) {
        return Optional.of("no host: " + uri);
      }
      if (scheme.equals("http") && !isLoopbackHost(u)) {
        return Optional.of("http is allowed only on a loopback host (127.0.0.1, [::1], localhost)");
      }
    } else if (!scheme.contains(".")) {
      return Optional.of(
          "a native app's private-use scheme is a reversed domain name (com.example.app:/cb)");
    }
    return Optional.empty();
  }

  /** Whether a presented redirect URI matches a registered one. */
  public static boolean matches(String registered, String presented) {
    if (presented == null) {
      return false;
    }
    if (registered.equals(presented)) {
      return true;
    }
    Optional<URI> r = parse(registered);
    Optional<URI> p = parse(presented);
    if (r.isEmpty() || p.isEmpty() || !isLoopbackIp(r.get()) || !isLoopbackIp(p.get())) {
      return false;
    }
    // any port, everything else exactly as registered
    return r.get().getRawAuthority() != null
        && withoutPort(r.get()).equals(withoutPort(p.get()))
        && p.get().getPort() > 0;
  }

  private static String withoutPort(URI u) {
    return u.getScheme()
        + "://"
        + u.getHost()
        + Objects.toString(u.getRawPath(), "")
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  private static boolean isLoopbackIp(URI u) {
    return "http".equals(u.getScheme()) && LOOPBACK_IPS.contains(u.getHost());
  }

  private static boolean isLoopbackHost(URI u) {
    return LOOPBACK_IPS.contains(u.getHost()) || "localhost".equals(u.getHost());
  }

  private static Optional<URI> parse(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        return Optional.empty();
      }
    }
    try {
      URI u = new URI(uri);
      if (!u.isAbsolute()
          || u.getRawFragment() != null
          || u.getRawUserInfo() != null
          || !u.getScheme().equals(u.getScheme().toLowerCase(Locale.ROOT))) {
        return Optional.empty();
      }
      return Optional.of(u);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
