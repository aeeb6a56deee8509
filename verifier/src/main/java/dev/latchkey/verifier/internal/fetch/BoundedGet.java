package dev.latchkey.verifier.internal.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One bounded HTTP GET, shared by the JWKS fetch and the revocation feed: a connect timeout, a read
 * timeout for the whole response (headers and body), no redirects, and a body cap (a bigger
 * declared length is refused unread, a bigger chunked body at the cap). Every failure is an {@link
 * IOException} with a short message (never the body).
 */
public final class BoundedGet {
  /** Slack for scheduling and thread hand-off on top of the two timeouts. */
  private static final Duration WAIT_SLACK = Duration.ofMillis(500);

  private final HttpClient http;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxResponseBytes;

  public BoundedGet(Duration connectTimeout, Duration readTimeout, int maxResponseBytes) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxResponseBytes = maxResponseBytes;
  }

  /** The longest a caller waits for one {@link #get} run on another thread. */
  public Duration maxWait() {
    return connectTimeout.plus(readTimeout).plus(WAIT_SLACK);
  }

  /** A 200 answer: its body and its {@code Cache-Control: max-age}, when it has one. */
  public record Answer(byte[] body, Optional<Duration> maxAge) {}

  /** GETs {@code uri}; returns the body of a 200 response, else throws. */
  public byte[] get(URI uri, String accept) throws IOException {
    return fetch(uri, accept).body();
  }

  /** GETs {@code uri}; returns the body and max-age of a 200 response, else throws. */
  public Answer fetch(URI uri, String accept) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(uri).timeout(readTimeout).header("Accept", accept).GET().build();
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(request, info -> new CappedBody(maxResponseBytes, info));
    HttpResponse<byte[]> response;
    try {
      response = call.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new IOException("timed out after " + readTimeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    if (response.statusCode() != 200) {
      throw new IOException("HTTP status " + response.statusCode());
    }
    return new Answer(response.body(), maxAge(response.headers().allValues("Cache-Control")));
  }

  /**
   * The {@code max-age} of {@code Cache-Control} values; {@code no-store} or {@code no-cache} count
   * as 0; none when absent or unreadable.
   */
  static Optional<Duration> maxAge(List<String> cacheControl) {
    Optional<Duration> found = Optional.empty();
    for (String value : cacheControl) {
      for (String directive : value.split(",")) {
        String d = directive.strip().toLowerCase(Locale.ROOT);
        if (d.equals("no-store") || d.equals("no-cache")) {
          return Optional.of(Duration.ZERO);
        }
        if (d.startsWith("max-age=")) {
          String n = d.substring("max-age=".length()).replace("\"", "");
          if (n.matches("\\d{1,10}")) {
            found = Optional.of(Duration.ofSeconds(Long.parseLong(n)));
          }
        }
      }
    }
    return found;
  }

  /** Collects the body up to a cap; a bigger body (declared or actual) fails the call unread. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int cap;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long declared;
    private Flow.Subscription subscription;

    CappedBody(int cap, HttpResponse.ResponseInfo info) {
      this.cap = cap;
      this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      if (declared > cap) {
        s.cancel();
        result.completeExceptionally(new IOException("response larger than " + cap + " bytes"));
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (out.size() + b.remaining() > cap) {
          subscription.cancel();
          result.completeExceptionally(new IOException("response larger than " + cap + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
