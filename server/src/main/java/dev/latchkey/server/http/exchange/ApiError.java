package dev.latchkey.server.http.exchange;

import java.util.Map;

/** An answer other than success: HTTP status, machine-readable {@code error}, human message. */
public class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final Map<String, String> headers;

  public ApiError(int status, String error, String message) {
    this(status, error, message, Map.of());
  }

  public ApiError(int status, String error, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
    this.headers = Map.copyOf(headers);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** Further fields of the JSON body besides {@code error} and {@code message}. */
  public Map<String, Object> extraFields() {
    return Map.of();
  }

  /** {@code 404 not_found}: for unknown paths and for features switched off. */
  public static ApiError notFound() {
    return new ApiError(404, "not_found", "There is nothing here.");
  }

  /**
   * {@code 413 payload_too_large}, with {@code Connection: close}: the unread rest of the body
   * makes Jetty close the connection after the answer, and a client told nothing would reuse it for
   * its next request and read no bytes.
   */
  public static ApiError payloadTooLarge(String message) {
    return new ApiError(413, "payload_too_large", message, Map.of("Connection", "close"));
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "invalid_request", message);
  }
}
