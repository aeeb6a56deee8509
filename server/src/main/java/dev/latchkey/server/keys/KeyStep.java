package dev.latchkey.server.keys;

import java.time.Instant;

/**
 * One change of the stored signing keys that {@link KeySchedule} decided and {@link SigningKeys}
 * applies.
 */
sealed interface KeyStep {

  /** Generate a key that signs at once (a fresh database, or the active key was revoked). */
  record CreateActive() implements KeyStep {}

  /** Generate and publish the next key, to start signing at {@code activatesAt}. */
  record CreateNext(Instant activatesAt) implements KeyStep {}

  /** The active key stops signing and stays published until {@code removesAt}. */
  record Retire(String kid, Instant removesAt) implements KeyStep {}

  /** The next key starts signing. */
  record Activate(String kid) implements KeyStep {}

  /** The next key starts signing at another time. */
  record Reschedule(String kid, Instant activatesAt) implements KeyStep {}

  /** A retired key leaves the JWK Set and its private key is erased: its tokens have expired. */
  record Remove(String kid) implements KeyStep {}

  /** A published key leaves the JWK Set at once and its private key is erased. */
  record Revoke(String kid, KeyState was) implements KeyStep {}

  /** Nothing to change; {@code note} says why, for the operator. */
  record Unchanged(String note) implements KeyStep {}
}
