package dev.latchkey.server.users;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Password rules after NIST SP 800-63B: at least 8 characters, long passphrases allowed (up to
 * {@value #MAX_LENGTH}), no composition rules; the email address (or its local part) and the most
 * common passwords are refused.
 */
public final class PasswordPolicy {
  public static final int MIN_LENGTH = 8;
  public static final int MAX_LENGTH = 1024;

  private static final Set<String> COMMON = loadCommon();

  private PasswordPolicy() {}

  /** Why a password is refused, or empty when it is acceptable. */
  public static Optional<String> check(char[] password, String email) {
    int length = Character.codePointCount(password, 0, password.length);
    if (length < MIN_LENGTH) {
      return Optional.of("Use at least " + MIN_LENGTH + " characters.");
    }
    if (length > MAX_LENGTH) {
      return Optional.of("Use at most " + MAX_LENGTH + " characters.");
    }
    String lower = new String(password).toLowerCase(Locale.ROOT);
    if (email != null) {
      String address = email.toLowerCase(Locale.ROOT);
      int at = address.indexOf('@');
      if (lower.equals(address) || (at > 0 && lower.equals(address.substring(0, at)))) {
        return Optional.of("Do not use your email address as your password.");
      }
    }
    if (COMMON.contains(lower)) {
      return Optional.of("This password is too common; choose another one.");
    }
    return Optional.empty();
  }

  private static Set<String> loadCommon() {
    Set<String> words = new HashSet<>();
    try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("common-passwords.txt is missing from the classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          words.add(line.toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the common password list", e);
    }
    return Set.copyOf(words);
  }
}
