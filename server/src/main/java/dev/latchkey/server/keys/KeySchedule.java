package dev.latchkey.server.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rotation schedule as a pure function of the stored keys and the time. A {@code next} key is
 * created {@code 2 × jwksMaxAge} before the active key has signed for {@code rotationPeriod}, and
 * starts signing no earlier than {@code jwksMaxAge} after it was published. The key it replaces
 * stays published until {@code tokenLifetime + clockSkew} after its last signature.
 */
final class KeySchedule {
  private final Duration rotationPeriod;
  private final Duration jwksMaxAge;
  private final Duration retention;

  /**
   * @param tokenLifetime how long a token signed by these keys lives
   */
  KeySchedule(KeySettings settings, Duration tokenLifetime) {
    this.rotationPeriod = settings.rotationPeriod();
    this.jwksMaxAge = settings.jwksMaxAge();
    this.retention = tokenLifetime.plus(settings.clockSkew());
  }

  /** Token lifetime + clock skew: how long a key matters after its last signature. */
  Duration retention() {
    return retention;
  }

  /**
   * What the schedule asks for at {@code now}: a first key, the next key when due, its promotion
   * when due, and the removal of retired keys whose tokens have all expired.
   */
  List<KeyStep> due(List<SigningKeyInfo> keys, Instant now) {
    Optional<SigningKeyInfo> active = find(keys, KeyState.ACTIVE);
    Optional<SigningKeyInfo> next = find(keys, KeyState.NEXT);
    if (active.isEmpty()) {
      return next.map(n -> promote(n, null, now)).orElse(List.of(new KeyStep.CreateActive()));
    }
    List<KeyStep> steps = new ArrayList<>();
    if (next.isPresent()) {
      if (!now.isBefore(next.get().activatesAt())) {
        steps.addAll(promote(next.get(), active.get(), now));
      }
    } else {
      Instant rotationDue = active.get().activatedAt().plus(rotationPeriod);
      if (!now.isBefore(rotationDue.minus(jwksMaxAge.multipliedBy(2)))) {
        steps.add(new KeyStep.CreateNext(latest(rotationDue, now.plus(jwksMaxAge))));
      }
    }
    for (SigningKeyInfo key : keys) {
      if (key.state() == KeyState.RETIRED && !now.isBefore(key.removesAt())) {
        steps.add(new KeyStep.Remove(key.kid()));
      }
    }
    return steps;
  }

  /**
   * Rotation as soon as it is safe: the next key is promoted once it has been published for one
   * JWKS max-age; before that its activation is brought forward to that moment (a next key is
   * published first when there is none).
   */
  List<KeyStep> rotateNow(List<SigningKeyInfo> keys, Instant now) {
    Optional<SigningKeyInfo> next = find(keys, KeyState.NEXT);
    if (next.isEmpty()) {
      return List.of(new KeyStep.CreateNext(now.plus(jwksMaxAge)));
    }
    SigningKeyInfo upcoming = next.get();
    Instant earliest = latest(upcoming.createdAt().plus(jwksMaxAge), now);
    if (!now.isBefore(earliest)) {
      return promote(upcoming, find(keys, KeyState.ACTIVE).orElse(null), now);
    }
    if (earliest.isBefore(upcoming.activatesAt())) {
      return List.of(new KeyStep.Reschedule(upcoming.kid(), earliest));
    }
    return List.of(
        new KeyStep.Unchanged(
            "next key " + upcoming.kid() + " already starts signing at " + upcoming.activatesAt()));
  }

  /**
   * Rotation without waiting: the next key (created if missing) signs at once and the active key
   * retires. A verifier that cached the JWK Set before the next key was published does not know it
   * until it refetches.
   */
  List<KeyStep> rotateImmediately(List<SigningKeyInfo> keys, Instant now) {
    Optional<SigningKeyInfo> active = find(keys, KeyState.ACTIVE);
    Optional<SigningKeyInfo> next = find(keys, KeyState.NEXT);
    if (next.isPresent()) {
      return promote(next.get(), active.orElse(null), now);
    }
    List<KeyStep> steps = new ArrayList<>();
    active.ifPresent(a -> steps.add(new KeyStep.Retire(a.kid(), now.plus(retention))));
    steps.add(new KeyStep.CreateActive());
    return steps;
  }

  /**
   * Revocation of one key; revoking the active key promotes the next key, or creates a new active
   * key, at once.
   *
   * @throws UnknownKeyException when no key has this kid
   */
  List<KeyStep> revoke(List<SigningKeyInfo> keys, String kid) {
    SigningKeyInfo key =
        keys.stream()
            .filter(k -> k.kid().equals(kid))
            .findFirst()
            .orElseThrow(() -> new UnknownKeyException(kid));
    if (!key.state().published()) {
      return List.of(new KeyStep.Unchanged("key " + kid + " is already " + key.state().label()));
    }
    List<KeyStep> steps = new ArrayList<>();
    steps.add(new KeyStep.Revoke(kid, key.state()));
    if (key.state() == KeyState.ACTIVE) {
      Optional<SigningKeyInfo> next = find(keys, KeyState.NEXT);
      steps.add(
          next.<KeyStep>map(n -> new KeyStep.Activate(n.kid())).orElse(new KeyStep.CreateActive()));
    }
    return steps;
  }

  private List<KeyStep> promote(SigningKeyInfo next, SigningKeyInfo active, Instant now) {
    List<KeyStep> steps = new ArrayList<>();
    if (active != null) {
      steps.add(new KeyStep.Retire(active.kid(), now.plus(retention)));
    }
    steps.add(new KeyStep.Activate(next.kid()));
    return steps;
  }

  private static Optional<SigningKeyInfo> find(List<SigningKeyInfo> keys, KeyState state) {
    return keys.stream().filter(k -> k.state() == state).findFirst();
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
