package dev.latchkey.verifier.javalin;

import dev.latchkey.verifier.wire.ErrorResponse;
import io.javalin.config.JavalinConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty produces itself, before any route runs (a malformed URI such as {@code
 * /api/lessons/%00/completion}, an unparsable request line, headers too large, a request timeout),
 * in the wire contract's JSON shape ({@link ErrorResponse#body}) instead of Jetty's HTML page. Both
 * the auth server and an application server install it: {@code JsonErrors.install(config)} inside
 * {@code Javalin.create}.
 *
 * <p>Every such answer says {@code Connection: close}: Jetty closes the connection after it, and a
 * client told nothing would send its next request on a closed connection (a POST is not retried).
 */
public final class JsonErrors extends ErrorHandler {
  private static final Map<Integer, String[]> KNOWN =
      Map.of(
          400, new String[] {"bad_request", "The request is malformed."},
          404, new String[] {"not_found", "There is nothing here."},
          405, new String[] {"method_not_allowed", "This method is not allowed here."},
          408, new String[] {"request_timeout", "The request was not received in time."},
          413, new String[] {"too_large", "The request is too large."},
          414, new String[] {"uri_too_long", "The request URI is too long."},
          431, new String[] {"headers_too_large", "The request headers are too large."});

  private JsonErrors() {}

  /** Makes the Javalin app's Jetty answer its own errors in JSON. */
  public static void install(JavalinConfig config) {
    JsonErrors handler = new JsonErrors();
    config.jetty.modifyServer(server -> server.setErrorHandler(handler));
  }

  /** The JSON body for a status. */
  static String bodyFor(int status) {
    String[] known = KNOWN.get(status);
    if (known != null) {
      return ErrorResponse.body(known[0], known[1]);
    }
    return status >= 500
        ? ErrorResponse.body("server_error", "The server could not answer this request.")
        : ErrorResponse.body("bad_request", "The request cannot be answered.");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (request.getAttribute(ERROR_STATUS) instanceof Integer s) {
      status = s;
    }
    if (status < 400) {
      status = 500;
    }
    response.setStatus(status);
    headers(response.getHeaders());
    response.write(
        true, ByteBuffer.wrap(bodyFor(status).getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    headers(fields);
    return ByteBuffer.wrap(bodyFor(status).getBytes(StandardCharsets.UTF_8));
  }

  private static void headers(HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    fields.put(HttpHeader.CACHE_CONTROL, "no-store");
    fields.put(HttpHeader.CONNECTION, "close");
  }
}
