package dev.latchkey.server.passkeys;

import com.webauthn4j.data.AuthenticationData;
import java.util.Optional;

/**
 * An assertion as the browser sent it, parsed but not yet checked, with the stored credential it
 * names (if any): the sign-in flow throttles by its owner before {@link Passkeys#check} judges it.
 */
public final class Assertion {
  final AuthenticationData data;
  final Optional<PasskeyRows.Stored> stored;

  Assertion(AuthenticationData data, Optional<PasskeyRows.Stored> stored) {
    this.data = data;
    this.stored = stored;
  }

  /** The user whose passkey the assertion names, if it names a registered one. */
  public Optional<String> ownerId() {
    return stored.map(PasskeyRows.Stored::userId);
  }

  @Override
  public String toString() {
    return "Assertion[owner=" + ownerId().orElse("unknown") + "]";
  }
}
