package dev.latchkey.server.delivery;

import java.util.Locale;

/** How a login hands the session token to the browser. */
public enum DeliveryMode {
  /** In the JSON body, {@code {"idToken", "expiresIn"}}; the SPA sends it as a bearer token. */
  BODY,
  /** In an {@code HttpOnly} cookie plus an {@code XSRF-TOKEN} cookie; the body has no token. */
  COOKIE,
  /** Both: the cookies and the token in the body. */
  BOTH;

  /** Whether the JSON answers carry {@code idToken}. */
  public boolean tokenInBody() {
    return this != COOKIE;
  }

  /** Whether {@code POST /api/login} sets the session cookies. */
  public boolean setsCookies() {
    return this != BODY;
  }

  /** {@code body}, {@code cookie} or {@code both}, in any case. */
  public static DeliveryMode parse(String value) {
    if (value != null) {
      for (DeliveryMode mode : values()) {
        if (mode.name().equalsIgnoreCase(value.strip())) {
          return mode;
        }
      }
    }
    throw new IllegalArgumentException(
        "delivery must be body, cookie or both, got " + (value == null ? "nothing" : value));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
