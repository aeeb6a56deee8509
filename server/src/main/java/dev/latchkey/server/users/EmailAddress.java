package dev.latchkey.server.users;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place that decides what an email address is and how it is compared.
 *
 * <p>An address is one plain {@code local@domain.tld}: a dot-atom local part (letters, digits and
 * {@code #$&'*+/=?^_`{|}~-}, any script's letters) and a domain of letter-digit-hyphen labels. What
 * a mail library or a relay could read as another recipient is refused: display names and angle
 * brackets, groups ({@code :;}), comments ({@code ()}), quoted local parts, lists ({@code ,}),
 * domain literals ({@code []}), the {@code %} and {@code !} relay routes, whitespace and control
 * characters.
 */
public final class EmailAddress {
  public static final int MAX_LENGTH = 254;
  private static final int MAX_LOCAL_LENGTH = 64;
  private static final String ATOM = "[\\p{L}\\p{M}\\p{N}#$&'*+/=?^_`{|}~-]+";
  private static final String LABEL =
      "[\\p{L}\\p{M}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]*[\\p{L}\\p{M}\\p{N}])?";
  private static final Pattern SHAPE =
      Pattern.compile(ATOM + "(?:\\." + ATOM + ")*@" + LABEL + "(?:\\." + LABEL + ")+");

  private EmailAddress() {}

  /** Trimmed, NFC-normalised and lower-cased: the form that is stored and looked up. */
  public static String normalize(String email) {
    return Normalizer.normalize(email.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }

  /** The normalised address if it is one plain {@code local@domain.tld}, else empty. */
  public static Optional<String> parse(String email) {
    if (email == null) {
      return Optional.empty();
    }
    String normalized = normalize(email);
    if (normalized.length() > MAX_LENGTH
        || !SHAPE.matcher(normalized).matches()
        || normalized.indexOf('@') > MAX_LOCAL_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(normalized);
  }
}
