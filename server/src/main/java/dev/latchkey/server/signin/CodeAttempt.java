package dev.latchkey.server.signin;

/**
 * A second-step code offered to finish a pending sign-in: the pending sign-in's token, the code as
 * typed (a TOTP code or a recovery code), the browser-binding cookie the request carried ({@code
 * null} without), the client address and the device cookie ({@code null} without) the throttle
 * judges it by, and the thumbprint of the DPoP key the session is to be bound to ({@code null}: a
 * bearer session).
 */
public record CodeAttempt(
    String mfaToken,
    String code,
    String browserBinding,
    String client,
    String deviceCookie,
    String dpopKey) {

  /** An attempt whose session is a bearer one. */
  public CodeAttempt(
      String mfaToken, String code, String browserBinding, String client, String deviceCookie) {
    this(mfaToken, code, browserBinding, client, deviceCookie, null);
  }

  @Override
  public String toString() {
    return "CodeAttempt[mfaToken=***, code=***, client=" + client + "]";
  }
}
