package dev.latchkey.server.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import dev.latchkey.server.store.Database;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The published keys as last read, and the signer of the active one: JWKS, discovery and every
 * signature are served from here, never from the database. A change made by this instance replaces
 * it at once; the server reads it again every {@link SigningKeys#PUBLISHED_REFRESH} for the changes
 * of other instances and operator commands, so a key promoted or revoked elsewhere signs, or stops
 * signing, within that refresh here too. A snapshot nobody refreshed for a few periods (a process
 * without the server's scheduler) is read again by the next signature.
 */
public final class KeySnapshot {
  private static final Logger log = LoggerFactory.getLogger(KeySnapshot.class);
  private static final long STALE_NANOS = SigningKeys.PUBLISHED_REFRESH.multipliedBy(3).toNanos();

  private record Held(PublishedKeys keys, long readAtNanos) {}

  private final Database db;
  private final MasterKey masterKey;
  private final AtomicReference<Held> held = new AtomicReference<>();
  private final Map<String, ActiveKey> signers = new ConcurrentHashMap<>();

  KeySnapshot(Database db, MasterKey masterKey) {
    this.db = db;
    this.masterKey = masterKey;
  }

  /** The published keys as last read (read now if never). */
  PublishedKeys published() {
    Held known = held.get();
    return known != null ? known.keys() : refresh();
  }

  /** Reads the stored keys again, and makes the active key's signer ready. */
  PublishedKeys refresh() {
    PublishedKeys fresh = replace(db.inTransaction(KeyRows::all));
    fresh
        .active()
        .ifPresent(
            key -> {
              try {
                signer(key);
              } catch (RuntimeException e) {
                log.debug("Signer of {} not loaded ahead; the next signature tries", key.kid(), e);
              }
            });
    return fresh;
  }

  /** Takes every stored key as read in a transaction that changed them. */
  PublishedKeys replace(List<SigningKeyInfo> stored) {
    PublishedKeys fresh = PublishedKeys.of(stored);
    held.set(new Held(fresh, System.nanoTime()));
    Set<String> signing =
        fresh.active().map(SigningKeyInfo::kid).stream().collect(Collectors.toSet());
    signers.keySet().retainAll(signing); // a retired, revoked or removed key signs no more
    return fresh;
  }

  /** The key that signs now, with its signer (decrypted once per kid and kept in memory). */
  public ActiveKey active() {
    Held known = held.get();
    if (known == null || System.nanoTime() - known.readAtNanos() > STALE_NANOS) {
      try {
        refresh();
      } catch (RuntimeException e) {
        if (known == null) {
          throw e;
        }
        log.debug("Keys not read again; signing with the last read", e);
      }
    }
    PublishedKeys keys = held.get().keys();
    if (keys.active().isEmpty()) {
      keys = refresh(); // made elsewhere since (a first start beside another instance)
    }
    return signer(
        keys.active()
            .orElseThrow(() -> new IllegalStateException("there is no active signing key")));
  }

  private ActiveKey signer(SigningKeyInfo key) {
    return signers.computeIfAbsent(key.kid(), kid -> load(kid, key.algorithm()));
  }

  private ActiveKey load(String kid, String alg) {
    String encrypted =
        KeyRows.sealedPrivateKey(db, kid)
            .orElseThrow(
                () -> new IllegalStateException("signing key " + kid + " has no private key"));
    JWSSigner signer = KeyMaterial.signer(alg, masterKey.decrypt(encrypted, kid));
    return new ActiveKey(kid, JWSAlgorithm.parse(alg), signer);
  }
}
