package dev.latchkey.server.users;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The one place that decides what an email address is and how it is compared. */
public final class EmailAddress {
  public static final int MAX_LENGTH = 254;
  private static final Pattern SHAPE =
      Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+");

  private EmailAddress() {}

  /** Trimmed, NFC-normalised and lower-cased: the form that is stored and looked up. */
  public static String normalize(String email) {
    return Normalizer.normalize(email.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }

  /** The normalised address if it looks like {@code local@domain.tld}, else empty. */
  public static Optional<String> parse(String email) {
    if (email == null) {
      return Optional.empty();
    }
    String normalized = normalize(email);
    if (normalized.length() > MAX_LENGTH || !SHAPE.matcher(normalized).matches()) {
      return Optional.empty();
    }
    return Optional.of(normalized);
  }
}
