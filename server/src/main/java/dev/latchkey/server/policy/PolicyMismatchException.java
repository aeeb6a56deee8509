package dev.latchkey.server.policy;

import java.util.List;

/** A start with settings that differ from the stored key policy: refused, never applied. */
public final class PolicyMismatchException extends IllegalStateException {
  private final List<String> differences;

  public PolicyMismatchException(List<String> differences) {
    super(
        "the stored key policy differs: "
            + String.join("; ", differences)
            + ". Start with the stored values (or without these flags), or change the policy"
            + " explicitly with: latchkey keys policy ...");
    this.differences = List.copyOf(differences);
  }

  public List<String> differences() {
    return differences;
  }
}
