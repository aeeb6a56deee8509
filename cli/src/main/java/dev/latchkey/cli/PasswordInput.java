package dev.latchkey.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads a password from the terminal (asked twice, not echoed) or, when input is piped, from the
 * first line of standard input. Never from the command line, where other users could read it.
 */
final class PasswordInput {

  private PasswordInput() {}

  static char[] read(String prompt) throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("%s: ", prompt);
      char[] second = console.readPassword("Repeat it: ");
      if (first == null || second == null || !Arrays.equals(first, second)) {
        throw new IllegalArgumentException("the two passwords differ");
      }
      Arrays.fill(second, '\0');
      return first;
    }
    return firstLine(System.in);
  }

  /** Reads a password, hands it to {@code use}, then wipes it. */
  static void use(String prompt, Consumer<char[]> use) throws IOException {
    char[] password = read(prompt);
    try {
      use.accept(password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  static char[] firstLine(InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line = reader.readLine();
    if (line == null || line.isEmpty()) {
      throw new IllegalArgumentException("no password on standard input");
    }
    return line.toCharArray();
  }
}
