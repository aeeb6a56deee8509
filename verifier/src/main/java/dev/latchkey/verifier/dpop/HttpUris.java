package dev.latchkey.verifier.dpop;

import java.net.URI;
import java.util.Locale;

/**
 * The comparison form of an {@code htu} and of a request URL (RFC 9449 §4.3, RFC 3986 §6.2.2 and
 * §6.2.3): scheme and host in lower case, the scheme's default port dropped, dot-segments removed,
 * an empty path as {@code /}, percent-encodings in upper case, no user info, query or fragment.
 */
final class HttpUris {
  private HttpUris() {}

  /** The normalised form, or null when {@code uri} is not an absolute http(s) URI with a host. */
  static String normalized(URI uri) {
    if (uri == null || uri.getScheme() == null || uri.getHost() == null || uri.isOpaque()) {
      return null;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return null;
    }
    if ((scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443)) {
      port = -1;
    }
    String path = uri.normalize().getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    return scheme
        + "://"
        + uri.getHost().toLowerCase(Locale.ROOT)
        + (port == -1 ? "" : ":" + port)
        + upperCasePercentEncodings(path);
  }

  /** The normalised form of a URI string, or null when it does not parse. */
  static String normalized(String uri) {
    try {
      return normalized(new URI(uri));
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static String upperCasePercentEncodings(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    StringBuilder b = new StringBuilder(path);
    for (int i = b.indexOf("%"); i >= 0 && i + 2 < b.length(); i = b.indexOf("%", i + 1)) {
      b.setCharAt(i + 1, Character.toUpperCase(b.charAt(i + 1)));
      b.setCharAt(i + 2, Character.toUpperCase(b.charAt(i + 2)));
    }
    return b.toString();
  }
}
