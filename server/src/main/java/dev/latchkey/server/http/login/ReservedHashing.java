package dev.latchkey.server.http.login;

import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.throttle.LoginThrottle.Reservation;
import dev.latchkey.server.users.HashingPool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The hash of a password attempt that has reserved its place in the throttle, for every route that
 * checks a password (login, hosted login, password change). The check runs on the bounded pool; a
 * check that is never run (the pool was full) gives its place back, a judged one settles it itself
 * ({@link LoginThrottle#succeeded}, or nothing: a wrong password stays counted).
 */
public final class ReservedHashing {
  private ReservedHashing() {}

  public static <T> CompletableFuture<T> submit(
      HashingPool hashing, LoginThrottle throttle, Reservation reservation, Supplier<T> check) {
    CompletableFuture<T> judged;
    try {
      judged = hashing.submit(check);
    } catch (RuntimeException e) {
      throttle.release(reservation);
      throw e;
    }
    return judged.whenComplete(
        (ok, error) -> {
          if (error != null && saturated(error)) {
            throttle.release(reservation);
          }
        });
  }

  private static boolean saturated(Throwable error) {
    Throwable t =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return t instanceof HashingPool.Saturated;
  }
}
