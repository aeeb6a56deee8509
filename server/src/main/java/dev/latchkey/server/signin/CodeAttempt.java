package dev.latchkey.server.signin;

/**
 * A second-step code offered to finish a pending sign-in: the pending sign-in's token, the code as
 * typed (a TOTP code or a recovery code), the browser-binding cookie the request carried ({@code
 * null} without), the client address and the device cookie ({@code null} without) the throttle
 * judges it by.
 */
public record CodeAttempt(
    String mfaToken, String code, String browserBinding, String client, String deviceCookie) {

  @Override
  public String toString() {
    return "CodeAttempt[mfaToken=***, code=***, client=" + client + "]";
  }
}
