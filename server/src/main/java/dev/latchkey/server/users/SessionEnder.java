package dev.latchkey.server.users;

/**
 * Ends every session of a user, into the revocation feed: what disabling a user and an operator's
 * password set do beyond the users table (the sessions' revocation implements it; {@code users}
 * does not depend on {@code sessions}).
 */
@FunctionalInterface
public interface SessionEnder {
  /**
   * @param reason the stored and audited reason, e.g. {@code user_disabled}
   * @return how many sessions were ended
   */
  int endAllSessions(String userId, String reason);
}
