package dev.latchkey.server.hosted;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the hosted login page may send the browser after a login: a {@code return_to} URL is
 * followed only when it is an absolute {@code http(s)} URL whose origin equals an allow-list entry
 * exactly and whose path is under that entry's path; anything else goes to the default target (no
 * open redirect).
 *
 * <p>Refused, among others: relative and scheme-relative URLs ({@code /x}, {@code //evil}, {@code
 * /\evil}), other schemes ({@code javascript:}, {@code data:}), backslashes, spaces, control and
 * non-ASCII characters anywhere, user info ({@code https://app.example.com@evil.com}), upper-case
 * schemes or hosts, percent-encoded characters that could change the path ({@code %2e}, {@code
 * %2f}, {@code %5c}, {@code %25}, control characters), dot segments, empty segments, and path
 * parameters ({@code ;} or {@code %3b} anywhere in the path: servlet containers read {@code ..;} as
 * {@code ..}, so a parameter could hide a dot segment from the prefix check).
 */
public final class ReturnToPolicy {
  /** Longer {@code return_to} values are refused. */
  public static final int MAX_LENGTH = 2048;

  private record Allowed(String scheme, String host, int port, String pathPrefix) {
    String origin() {
      return scheme + "://" + host + (port == defaultPort(scheme) ? "" : ":" + port);
    }
  }

  private final List<Allowed> allowed;
  private final List<String> entries;
  private final String defaultTarget;

  private ReturnToPolicy(List<Allowed> allowed, List<String> entries, String defaultTarget) {
    this.allowed = List.copyOf(allowed);
    this.entries = List.copyOf(entries);
    this.defaultTarget = defaultTarget;
  }

  /**
   * Checks and normalises the configuration.
   *
   * @param allowList entries {@code http(s)://host[:port][/path]}, no wildcard, query, fragment or
   *     user info
   * @param defaultTarget an absolute {@code http(s)} URL or a path on this server ({@code /...})
   * @throws IllegalArgumentException for an entry or default that is not of that form
   */
  public static ReturnToPolicy of(List<String> allowList, String defaultTarget) {
    Objects.requireNonNull(allowList, "returnToAllowList");
    List<Allowed> allowed = new ArrayList<>();
    List<String> entries = new ArrayList<>();
    for (String entry : allowList) {
      Allowed a = parseEntry(entry);
      allowed.add(a);
      entries.add(a.origin() + a.pathPrefix());
    }
    return new ReturnToPolicy(allowed, entries, checkDefault(defaultTarget));
  }

  /** The normalised allow-list entries. */
  public List<String> entries() {
    return entries;
  }

  /** Where the browser goes when {@code return_to} is missing or refused. */
  public String defaultTarget() {
    return defaultTarget;
  }

  /** The origins a login form may be redirected to (for the page's {@code form-action}). */
  public Set<String> redirectOrigins() {
    Set<String> origins = new LinkedHashSet<>();
    for (Allowed a : allowed) {
      origins.add(a.origin());
    }
    if (defaultTarget.startsWith("http")) {
      URI uri = URI.create(defaultTarget);
      origins.add(
          uri.getScheme()
              + "://"
              + uri.getHost()
              + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
    }
    return origins;
  }

  /** The allowed {@code return_to} (normalised), else the default target. */
  public String target(String returnTo) {
    return allowed(returnTo).orElse(defaultTarget);
  }

  /** The {@code return_to} rebuilt from its checked parts when it is allowed. */
  public Optional<String> allowed(String returnTo) {
    if (returnTo == null || returnTo.isEmpty() || returnTo.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    for (int i = 0; i < returnTo.length(); i++) {
      char c = returnTo.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        return Optional.empty();
      }
    }
    URI uri;
    try {
      uri = new URI(returnTo);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    if (!uri.isAbsolute() || uri.isOpaque()) {
      return Optional.empty();
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    String authority = uri.getRawAuthority();
    if (!("http".equals(scheme) || "https".equals(scheme))
        || host == null
        || authority == null
        || uri.getRawUserInfo() != null
        || authority.contains("@")
        || !host.equals(host.toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    int port = uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort();
    String rawPath =
        uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (!safePath(rawPath)) {
      return Optional.empty();
    }
    for (Allowed a : allowed) {
      if (a.scheme().equals(scheme)
          && a.host().equals(host)
          && a.port() == port
          && underPrefix(a.pathPrefix(), rawPath)) {
        StringBuilder target = new StringBuilder(a.origin()).append(rawPath);
        if (uri.getRawQuery() != null) {
          target.append('?').append(uri.getRawQuery());
        }
        if (uri.getRawFragment() != null) {
          target.append('#').append(uri.getRawFragment());
        }
        return Optional.of(target.toString());
      }
    }
    return Optional.empty();
  }

  /**
   * No encoded dot, slash, backslash, percent, semicolon or control character; no path parameter;
   * no dot or empty segment.
   */
  private static boolean safePath(String rawPath) {
    if (!rawPath.startsWith("/") || rawPath.contains(";")) {
      return false;
    }
    String lower = rawPath.toLowerCase(Locale.ROOT);
    for (int i = lower.indexOf('%'); i >= 0; i = lower.indexOf('%', i + 1)) {
      if (i + 2 >= lower.length()) {
        return false;
      }
      String code = lower.substring(i + 1, i + 3);
      if (code.equals("2e")
          || code.equals("2f")
          || code.equals("5c")
          || code.equals("25")
          || code.equals("3b")
          || code.charAt(0) < '2'
          || code.equals("7f")) {
        return false;
      }
    }
    String[] segments = rawPath.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.equals(".") || s.equals("..") || (s.isEmpty() && !last)) {
        return false;
      }
    }
    return true;
  }

  private static boolean underPrefix(String prefix, String path) {
    if (prefix.equals("/")) {
      return true;
    }
    if (prefix.endsWith("/")) {
      return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
    }
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  private static Allowed parseEntry(String entry) {
    if (entry == null
        || entry.contains("*")
        || !entry.matches(
            "(?i)https?://[A-Za-z0-9.\\-\\[\\]:]+(/[A-Za-z0-9._~!$&'()+,;=:/\\-]*)?")) {
      throw new IllegalArgumentException(
          "a return_to allow-list entry is http(s)://host[:port][/path] without wildcard, user"
              + " info, query or fragment, got "
              + entry);
    }
    URI uri = URI.create(entry);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("a return_to allow-list entry needs a host: " + entry);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (!safePath(path)) {
      throw new IllegalArgumentException(
          "a return_to allow-list path has no dot or empty segments and no ';': " + entry);
    }
    return new Allowed(
        scheme,
        uri.getHost().toLowerCase(Locale.ROOT),
        uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort(),
        path);
  }

  private static String checkDefault(String target) {
    Objects.requireNonNull(target, "defaultReturnTo");
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        throw new IllegalArgumentException(
            "the default return_to has no spaces, control characters or backslashes");
      }
    }
    if (target.startsWith("/") && !target.startsWith("//")) {
      return target;
    }
    try {
      URI uri = new URI(target);
      String scheme = uri.getScheme();
      if (scheme != null
          && (scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getRawUserInfo() == null) {
        return target;
      }
    } catch (URISyntaxException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        "the default return_to is an absolute http(s) URL or a path starting with one /, got "
            + target);
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  @Override
  public String toString() {
    return "ReturnToPolicy[allow=" + entries + ", default=" + defaultTarget + "]";
  }
}
