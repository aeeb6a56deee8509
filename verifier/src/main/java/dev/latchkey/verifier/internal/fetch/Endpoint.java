package dev.latchkey.verifier.internal.fetch;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a polled document lives and the bounds of one fetch.
 *
 * @param uri the document (http or https)
 * @param accept the {@code Accept} header
 * @param connectTimeout connect timeout
 * @param readTimeout whole-response timeout
 * @param maxResponseBytes body cap
 * @param maxJsonDepth JSON nesting bound, checked before any parser sees the body
 */
public record Endpoint(
    URI uri,
    String accept,
    Duration connectTimeout,
    Duration readTimeout,
    int maxResponseBytes,
    int maxJsonDepth) {

  public Endpoint {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(accept, "accept");
  }

  BoundedGet client() {
    return new BoundedGet(connectTimeout, readTimeout, maxResponseBytes);
  }
}
