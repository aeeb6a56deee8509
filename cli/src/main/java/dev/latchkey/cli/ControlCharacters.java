package dev.latchkey.cli;

/**
 * How a log line shows a control character: {@code \n}, {@code \r}, {@code \t}, or {@code \\uXXXX}
 * for the other C0 and C1 characters, DEL and the Unicode line and paragraph separators. A value
 * that reaches a log (a typed email, a header) cannot start a line of its own. The escapes are
 * JSON's own, so a JSON line stays the same JSON.
 */
final class ControlCharacters {
  private ControlCharacters() {}

  /** The text with every control character escaped; the text itself when it has none. */
  static String escape(String text) {
    int first = 0;
    while (first < text.length() && !isControl(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        default -> {
          if (isControl(c)) {
            escaped.append(String.format("\\u%04x", (int) c));
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }

  /** C0, DEL, C1, and U+2028/U+2029 (which some readers take for line ends). */
  static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
