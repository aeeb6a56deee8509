package dev.latchkey.server.users;

/** A user whose password was just checked. */
public record AuthenticatedUser(String id, String email) {}
