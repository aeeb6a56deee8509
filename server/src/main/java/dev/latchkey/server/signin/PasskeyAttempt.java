package dev.latchkey.server.signin;

/**
 * An assertion offered to sign in: its JSON ({@code PublicKeyCredential.toJSON()}), the pending
 * sign-in it is the second step of ({@code null} for a passwordless sign-in) with the
 * browser-binding cookie the request carried, the client address and the device cookie ({@code
 * null} without) the throttle judges it by.
 */
public record PasskeyAttempt(
    String assertionJson,
    String mfaToken,
    String browserBinding,
    String client,
    String deviceCookie) {

  /** A passwordless sign-in. */
  public static PasskeyAttempt passwordless(String assertionJson, String client, String device) {
    return new PasskeyAttempt(assertionJson, null, null, client, device);
  }

  @Override
  public String toString() {
    return "PasskeyAttempt[assertion=***, mfaToken=***, client=" + client + "]";
  }
}
