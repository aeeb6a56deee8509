package dev.latchkey.verifier.internal.http;

/** The few request facts authentication needs, so one policy serves Javalin and Servlets. */
public interface RequestView {
  String method();

  /** The first value of a header, or null. */
  String header(String name);

  /** The value of a cookie, or null. */
  String cookie(String name);
}
