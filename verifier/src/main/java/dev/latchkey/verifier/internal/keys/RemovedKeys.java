package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Tells listeners when a key set lost a key. */
final class RemovedKeys {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  void add(Runnable listener) {
    listeners.add(listener);
  }

  /** The kids of {@code previous} absent from {@code current}; listeners run when there are any. */
  Set<String> compare(JWKSet previous, JWKSet current) {
    Set<String> removed = kids(previous);
    removed.removeAll(kids(current));
    if (!removed.isEmpty()) {
      listeners.forEach(Runnable::run);
    }
    return removed;
  }

  /** Runs the listeners (a key was dropped without a fetch). */
  void fire() {
    listeners.forEach(Runnable::run);
  }

  private static Set<String> kids(JWKSet set) {
    Set<String> kids = new HashSet<>();
    for (JWK k : set.getKeys()) {
      kids.add(String.valueOf(k.getKeyID()));
    }
    return kids;
  }
}
