package dev.latchkey.server.users;

/**
 * A user as the account flows see it.
 *
 * @param id the user id ({@code sub})
 * @param email the normalised email
 * @param emailVerified whether the user has followed a link sent to this email (or an operator
 *     created the account)
 * @param disabled whether logins are refused
 */
public record Account(String id, String email, boolean emailVerified, boolean disabled) {}
