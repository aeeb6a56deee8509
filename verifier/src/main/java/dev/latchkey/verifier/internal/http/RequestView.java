package dev.latchkey.verifier.internal.http;

import java.util.List;

/** The few request facts authentication needs, so one policy serves Javalin and Servlets. */
public interface RequestView {
  String method();

  /** The first value of a header, or null. */
  String header(String name);

  /** Every value of a header (empty when absent). */
  List<String> headers(String name);

  /** The value of a cookie, or null. */
  String cookie(String name);

  /** The URL the container received, without query: scheme, host, port, path. */
  String requestUrl();

  /** The request path as received (still percent-encoded), e.g. {@code /api/lessons}. */
  String rawPath();
}
