package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEObjectType;
import dev.latchkey.verifier.wire.TokenType;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** The header's {@code typ} is one of the allowed types (compared as {@link TokenType} says). */
final class TypeValidator {
  private final Set<String> allowed;

  TypeValidator(Set<String> allowed) {
    Set<String> normalised = new LinkedHashSet<>();
    for (String t : allowed) {
      normalised.add(TokenType.normalise(t));
    }
    this.allowed = Set.copyOf(normalised);
  }

  Optional<RejectionReason> validate(JOSEObjectType type) {
    return type != null && allowed.contains(TokenType.normalise(type.getType()))
        ? Optional.empty()
        : Optional.of(RejectionReason.WRONG_TYPE);
  }
}
