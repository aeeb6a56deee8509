package dev.latchkey.server.http.exchange;

import io.javalin.http.Context;

/**
 * What a failure answers: its status, {@code error} code, message and headers. There is one
 * mapping, in {@code HttpApi}; pages that answer in HTML render its result their own way.
 */
@FunctionalInterface
public interface FailureMapping {
  /** The answer to a failure; unexpected failures are logged, never with secrets. */
  ApiError answerFor(Context ctx, Throwable failure);
}
