package dev.latchkey.verifier.internal.fetch;

/**
 * Bounds the nesting depth of a JSON text before any parser sees it. It scans bytes only (strings
 * and escapes are skipped), so it is linear and allocation-free; malformed JSON is left to the
 * parser.
 */
public final class JsonDepth {
  private JsonDepth() {}

  /** True when no object/array nesting in {@code json} goes deeper than {@code maxDepth}. */
  public static boolean within(byte[] json, int maxDepth) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > maxDepth) {
          return false;
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    return true;
  }
}
