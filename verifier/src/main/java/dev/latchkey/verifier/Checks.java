package dev.latchkey.verifier;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the settings and builders; failures name the setting. */
final class Checks {
  private Checks() {}

  static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }

  static Duration notNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0");
    }
    return d;
  }

  static int positive(int n, String name) {
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return n;
  }

  /** An http or https URL without fragment. */
  static URI httpUrl(URI uri, String name) {
    Objects.requireNonNull(uri, name);
    String scheme = uri.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException(name + " must be http or https");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException(name + " must not have a fragment");
    }
    return uri;
  }
}
