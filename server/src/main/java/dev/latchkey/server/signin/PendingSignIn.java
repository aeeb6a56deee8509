package dev.latchkey.server.signin;

/**
 * A sign-in whose password was right and that waits for another step (a second factor) before its
 * session starts: whose it is, and the device cookie the browser showed (the step completes the
 * sign-in from the same browser).
 */
public record PendingSignIn(String userId, String deviceCookie) {}
