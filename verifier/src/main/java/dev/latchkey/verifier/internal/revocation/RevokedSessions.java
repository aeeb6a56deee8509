package dev.latchkey.verifier.internal.revocation;

import dev.latchkey.verifier.internal.fetch.SourceStats;

/** The sessions revoked early, as an application server learns them. */
public interface RevokedSessions extends AutoCloseable {

  /** Whether {@code sid} is revoked; lock-free, never waits. A null sid is never revoked. */
  boolean isRevoked(String sid);

  /** Refreshes now (bounded by the timeouts); returns whether it succeeded. */
  boolean pollNow();

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
