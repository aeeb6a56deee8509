package dev.latchkey.verifier.javalin;

import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The limits that keep slow clients from holding a Javalin server's threads and connections (a
 * "slowloris" trickling a request body a byte at a time):
 *
 * <ul>
 *   <li>a request body up to {@code maxBufferedBody} is read without a thread, as it arrives
 *       (Jetty's {@link EagerContentHandler}): the route runs once the whole body is there, so a
 *       trickling body holds a connection, never one of the pool's threads;
 *   <li>a body must arrive at {@code minDataRate} bytes a second on average once {@code grace} has
 *       passed since the request's headers, else the request is refused with {@code 408} (in the
 *       wire contract's JSON shape when {@link JsonErrors} is installed) and the connection closed;
 *   <li>a connection that sends nothing for {@code idleTimeout} is closed, between requests and
 *       within one.
 * </ul>
 *
 * <p>Install inside {@code Javalin.create}: {@code SlowClients.defaults().install(config)}.
 *
 * @param idleTimeout how long a connection may send nothing
 * @param minDataRate the least average body rate, in bytes a second, after the grace
 * @param grace how long a body may take before its rate is checked
 * @param maxBufferedBody the largest body read ahead of the route; larger ones are read by the
 *     route
 */
public record SlowClients(
    Duration idleTimeout, long minDataRate, Duration grace, int maxBufferedBody) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final long DEFAULT_MIN_DATA_RATE = 1024;
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_BUFFERED_BODY = 64 * 1024;

  public SlowClients {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive, got " + idleTimeout);
    }
    if (minDataRate < 0 || grace.isNegative() || maxBufferedBody < 0) {
      throw new IllegalArgumentException("slow-client limits must not be negative");
    }
  }

  /** Idle 30 s; at least 1 KiB/s after a 2 s grace; bodies up to 64 KiB read ahead. */
  public static SlowClients defaults() {
    return new SlowClients(
        DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_DATA_RATE, DEFAULT_GRACE, DEFAULT_MAX_BUFFERED_BODY);
  }

  public SlowClients withIdleTimeout(Duration v) {
    return new SlowClients(v, minDataRate, grace, maxBufferedBody);
  }

  public SlowClients withMinDataRate(long bytesPerSecond, Duration afterGrace) {
    return new SlowClients(idleTimeout, bytesPerSecond, afterGrace, maxBufferedBody);
  }

  /** Applies these limits to the Javalin app being configured. */
  public void install(JavalinConfig config) {
    long idleMillis = idleTimeout.toMillis();
    config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(idleMillis));
    config.jetty.modifyServer(
        server -> {
          // Javalin adds its connector when it starts the server: set its idle timeout then
          server.addEventListener(
              new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                  for (var connector : server.getConnectors()) {
                    if (connector instanceof AbstractConnector c) {
                      c.setIdleTimeout(idleMillis);
                    }
                  }
                }
              });
          // Javalin nests its servlet context inside the innermost wrapper
          Handler.Wrapper eager =
              new EagerContentHandler(
                  new EagerContentHandler.RetainedContentLoaderFactory(maxBufferedBody, -1, false));
          server.setHandler(new MinimumDataRate(eager, minDataRate, grace.toNanos()));
        });
    // a body refused below the rate reaches the route as this failure: answer it, close the line
    config.routes.exception(
        HttpException.RuntimeException.class,
        (e, ctx) -> {
          int status = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400;
          ctx.status(status)
              .header("Connection", "close")
              .contentType("application/json")
              .result(JsonErrors.bodyFor(status));
        });
  }

  /** Refuses a request whose body arrives slower than the rate once the grace has passed. */
  private static final class MinimumDataRate extends Handler.Wrapper {
    private final long bytesPerSecond;
    private final long graceNanos;

    MinimumDataRate(Handler handler, long bytesPerSecond, long graceNanos) {
      super(handler);
      this.bytesPerSecond = bytesPerSecond;
      this.graceNanos = graceNanos;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Request checked = bytesPerSecond == 0 ? request : new RateChecked(request);
      return super.handle(checked, response, callback);
    }

    private final class RateChecked extends Request.Wrapper {
      private final long started = System.nanoTime();
      private long received;

      RateChecked(Request request) {
        super(request);
      }

      @Override
      public Content.Chunk read() {
        Content.Chunk chunk = super.read();
        if (chunk == null || Content.Chunk.isFailure(chunk)) {
          return chunk;
        }
        received += chunk.remaining();
        long late = System.nanoTime() - started - graceNanos;
        if (!chunk.isLast()
            && late > 0
            && received < bytesPerSecond * TimeUnit.NANOSECONDS.toMillis(late) / 1000) {
          chunk.release();
          return Content.Chunk.from(
              new HttpException.RuntimeException(408, "request body below the minimum rate"), true);
        }
        return chunk;
      }
    }
  }
}
