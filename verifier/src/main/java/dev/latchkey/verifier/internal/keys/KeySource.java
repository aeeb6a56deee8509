package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.latchkey.verifier.internal.fetch.SourceStats;
import java.util.Set;

/**
 * Where the verifier's public keys come from: a JWK Set URL, or keys held in memory (fixed, or
 * supplied by the application). {@link #get} throws {@link KeysUnavailableException} when no usable
 * key is held.
 */
public interface KeySource extends JWKSource<SecurityContext>, AutoCloseable {

  /**
   * Whether the held keys may still verify (a cached verification may then be served); may start a
   * background refresh that is due.
   */
  default boolean usable() {
    return true;
  }

  /** Refreshes now if the source can (subject to its rate limit); returns whether keys are held. */
  default boolean refreshNow() {
    return true;
  }

  /** Runs {@code listener} whenever a key disappears from the source (e.g. to clear caches). */
  default void onKeysRemoved(Runnable listener) {}

  /** Stops using these keys at once (revoked); a no-op for sources that cannot drop keys. */
  default void forget(Set<String> kids) {}

  SourceStats stats();

  @Override
  default void close() {}
}
