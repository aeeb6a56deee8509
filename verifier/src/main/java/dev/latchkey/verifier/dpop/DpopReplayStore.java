package dev.latchkey.verifier.dpop;

import java.time.Instant;

/**
 * Where {@link DpopProofChecker} remembers the proofs it accepted, so that each is accepted once
 * within its window. The default is a bounded cache of this process alone; a store shared by
 * several instances (a database table, as the auth server's) makes the promise hold across them.
 */
public interface DpopReplayStore {
  /** What recording a proof came to. */
  enum Use {
    /** Not seen before: now recorded. */
    FIRST,
    /** Already recorded and not expired: a replay. */
    REPLAYED,
    /** The store cannot record more right now: the proof is refused (503), never forgotten. */
    FULL
  }

  /**
   * Records {@code proofId} (the proof key's thumbprint and the proof's {@code jti}) unless it is
   * already held.
   *
   * @param rememberUntil after this instant the proof is refused as stale anyway, so the store may
   *     forget it
   */
  Use use(String proofId, Instant rememberUntil);
}
