package dev.latchkey.verifier.wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The {@code amr} claim of a session token (RFC 8176): how the user signed in, e.g. {@code ["pwd"]}
 * for a password alone and {@code ["pwd", "otp", "mfa"]} for a password and a one-time code. The
 * auth server writes it; the verifier's adapters and the Spring starter read it with {@link #of}
 * and refuse a route that requires a second factor with {@value #INSUFFICIENT_USER_AUTHENTICATION}
 * (RFC 9470).
 */
public final class AuthenticationMethods {
  /** The claim name. */
  public static final String CLAIM = "amr";

  /** A password. */
  public static final String PASSWORD = "pwd";

  /** A one-time password (a TOTP code, or a single-use recovery code). */
  public static final String ONE_TIME_PASSWORD = "otp";

  /** Proof of possession of a hardware-secured key (a device-bound passkey). */
  public static final String HARDWARE_KEY = "hwk";

  /** Proof of possession of a software-secured key (a synced passkey). */
  public static final String SOFTWARE_KEY = "swk";

  /** More than one factor. */
  public static final String MULTI_FACTOR = "mfa";

  /** The error code and RFC 6750 {@code error} of a 403 for a token without a second factor. */
  public static final String INSUFFICIENT_USER_AUTHENTICATION = "insufficient_user_authentication";

  public static final String INSUFFICIENT_USER_AUTHENTICATION_MESSAGE =
      "A second factor is required: sign in again with one";

  private AuthenticationMethods() {}

  /**
   * The method names of a claim value: the strings of an array, in order, without duplicates; an
   * absent claim, or one of another shape, gives none (a requirement then fails closed).
   */
  public static List<String> of(Object claim) {
    if (!(claim instanceof Collection<?> values)) {
      return List.of();
    }
    List<String> methods = new ArrayList<>(values.size());
    for (Object v : values) {
      if (v instanceof String s && !s.isEmpty() && !methods.contains(s)) {
        methods.add(s);
      }
    }
    return List.copyOf(methods);
  }

  /** Whether the methods of a token say the user passed more than one factor. */
  public static boolean multiFactor(List<String> methods) {
    return methods.contains(MULTI_FACTOR);
  }

  /**
   * The challenge for a valid token without a second factor: {@code Bearer realm="…",
   * error="insufficient_user_authentication", error_description="…"} (RFC 9470, with 403).
   */
  public static String challenge(String realm) {
    return ErrorResponse.challenge(realm)
        + ", error=\""
        + INSUFFICIENT_USER_AUTHENTICATION
        + "\", error_description=\""
        + INSUFFICIENT_USER_AUTHENTICATION_MESSAGE
        + "\"";
  }
}
