package dev.latchkey.verifier.internal.revocation;

import dev.latchkey.verifier.internal.fetch.SourceStats;
import java.util.Set;
import java.util.function.Consumer;

/** The sessions and signing keys revoked early, as an application server learns them. */
public interface RevokedSessions extends AutoCloseable {

  /** Whether {@code sid} is revoked; lock-free, never waits. A null sid is never revoked. */
  boolean isRevoked(String sid);

  /** Whether signing key {@code kid} is revoked; lock-free, never waits. Null is never revoked. */
  default boolean isKeyRevoked(String kid) {
    return false;
  }

  /** Called (on the poller thread) with the kids newly revoked by a poll. */
  default void onKeysRevoked(Consumer<Set<String>> listener) {}

  /** Refreshes now (bounded by the timeouts); returns whether it succeeded. */
  boolean pollNow();

  /** The cursor of the last answer; -1 without a feed or before the first successful poll. */
  default long cursor() {
    return -1;
  }

  SourceStats stats();

  @Override
  void close();

  /** No feed: nothing is revoked, nothing is polled. */
  static RevokedSessions none() {
    return new RevokedSessions() {
      @Override
      public boolean isRevoked(String sid) {
        return false;
      }

      @Override
      public boolean pollNow() {
        return false;
      }

      @Override
      public SourceStats stats() {
        return SourceStats.held(0);
      }

      @Override
      public void close() {}
    };
  }
}
