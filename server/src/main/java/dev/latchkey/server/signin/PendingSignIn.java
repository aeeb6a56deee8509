package dev.latchkey.server.signin;

import dev.latchkey.server.mfa.SecondFactorMethod;
import java.time.Instant;
import java.util.List;

/**
 * A sign-in whose password was right and that waits for a second step before its session starts:
 * the opaque token the client completes it with, the value of the cookie that binds it to the
 * browser that started it (only hashes of both are stored), the methods the step may use and when
 * it ends. {@link #toString()} shows neither secret.
 */
public record PendingSignIn(
    String token, String browserBinding, List<SecondFactorMethod> methods, Instant expiresAt) {

  @Override
  public String toString() {
    return "PendingSignIn[token=***, binding=***, methods=" + methods + "]";
  }
}
