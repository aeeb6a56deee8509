package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.proc.SecurityContext;
import dev.latchkey.verifier.internal.fetch.SourceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Public keys held in memory: a fixed set (a PEM file, a JWK Set given at start-up), or the current
 * set of an application-supplied {@link Supplier} (e.g. an auth server checking its own tokens
 * against the keys it publishes), read on every lookup so a removed key stops verifying at once.
 * Keys with a kid match only tokens naming it; a key without kid (a PEM key) matches any kid.
 */
public final class InMemoryKeySource implements KeySource {
  /** The supplied set and the keys taken from it. */
  private record Snapshot(JWKSet supplied, JWKSet keys, JWKSet keysWithoutKid) {}

  private final Supplier<JWKSet> supplier;
  private final RemovedKeys removed = new RemovedKeys();
  private volatile Snapshot current;

  /**
   * @throws IllegalArgumentException when the supplier's first set holds a symmetric key or none
   */
  public InMemoryKeySource(Supplier<JWKSet> supplier) {
    this.supplier = Objects.requireNonNull(supplier);
    this.current = snapshotOf(supplier.get());
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context)
      throws KeysUnavailableException {
    Snapshot s = refreshed();
    List<JWK> found = selector.select(s.keys());
    if (found.isEmpty() && !s.keysWithoutKid().isEmpty()) {
      JWKMatcher anyKid =
          new JWKMatcher.Builder(selector.getMatcher()).keyIDs((Set<String>) null).build();
      found = new JWKSelector(anyKid).select(s.keysWithoutKid());
    }
    return found;
  }

  /** False while the supplier fails; notices (and reports) removed keys. */
  @Override
  public boolean usable() {
    try {
      refreshed();
      return true;
    } catch (KeysUnavailableException e) {
      return false;
    }
  }

  @Override
  public void onKeysRemoved(Runnable listener) {
    removed.add(listener);
  }

  @Override
  public SourceStats stats() {
    return SourceStats.held(current.keys().size());
  }

  /** The snapshot of the supplier's current set; rebuilt only when that set changed. */
  private Snapshot refreshed() throws KeysUnavailableException {
    Snapshot s = current;
    JWKSet now;
    try {
      now = supplier.get();
      if (now == s.supplied() || s.supplied().equals(now)) {
        return s;
      }
      Snapshot next = snapshotOf(now);
      current = next;
      removed.compare(s.keys(), next.keys());
      return next;
    } catch (RuntimeException e) {
      throw new KeysUnavailableException("key supplier failed: " + e.getClass().getSimpleName());
    }
  }

  private static Snapshot snapshotOf(JWKSet supplied) {
    List<JWK> usable = new ArrayList<>();
    List<JWK> noKid = new ArrayList<>();
    for (JWK k : Objects.requireNonNull(supplied, "key set").getKeys()) {
      if (k.getKeyType() == KeyType.OCT) {
        throw new IllegalArgumentException("a public-key source cannot hold a symmetric key");
      }
      JWK pub = k.toPublicJWK();
      usable.add(pub);
      if (pub.getKeyID() == null) {
        noKid.add(pub);
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("no public key given");
    }
    return new Snapshot(supplied, new JWKSet(usable), new JWKSet(noKid));
  }
}
