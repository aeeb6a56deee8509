package dev.latchkey.server.hosted;

/** HTML escaping for text and attribute values (always quoted with {@code "}). */
public final class Html {
  private Html() {}

  /**
   * Appends a hidden form field: {@code <input type="hidden" name="…" value="…">} and a newline.
   */
  public static void hidden(StringBuilder b, String name, String value) {
    b.append("<input type=\"hidden\" name=\"")
        .append(escape(name))
        .append("\" value=\"")
        .append(escape(value))
        .append("\">\n");
  }

  /** Escapes {@code & < > " '} and drops control characters other than tab and newline. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c >= 0x20 && c != 0x7f || c == '\t' || c == '\n') {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
