package dev.latchkey.server.users;

import java.time.Instant;

/** A user as the command line lists it (no password hash). */
public record UserSummary(String id, String email, Instant createdAt, boolean disabled) {
  public String describe() {
    return id + " " + email + " created=" + createdAt + (disabled ? " disabled" : "");
  }
}
