package dev.latchkey.server.http.exchange;

import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;

/**
 * Answers a request when a piece of work is done, without going asynchronous when it already is.
 */
public final class Async {
  private Async() {}

  /**
   * Waits for {@code work} (which writes the answer) off the request thread; work that is already
   * done (a refusal decided at once, as under a flood) is answered on this thread, and a failure
   * goes to the failure mapping either way.
   */
  public static void answer(Context ctx, CompletableFuture<?> work) {
    if (work.isDone()) {
      work.join();
    } else {
      ctx.future(() -> work);
    }
  }
}
