package dev.latchkey.server.users;

/**
 * A user whose password was just checked, with what signing in must know next: whether the address
 * is verified and whether a second factor is on (read with the password hash, in one query).
 */
public record AuthenticatedUser(
    String id, String email, boolean emailVerified, boolean secondFactor) {}
