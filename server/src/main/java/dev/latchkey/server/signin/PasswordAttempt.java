package dev.latchkey.server.signin;

/**
 * A password offered to sign in: the email and password as typed, the client address the throttle
 * counts it against, the device cookie the browser showed ({@code null} without one) and the
 * thumbprint of the DPoP key the session is to be bound to ({@code null}: a bearer session). The
 * password array is wiped once the attempt is judged.
 */
public record PasswordAttempt(
    String email, char[] password, String client, String deviceCookie, String dpopKey) {

  /** An attempt whose session is a bearer one. */
  public PasswordAttempt(String email, char[] password, String client, String deviceCookie) {
    this(email, password, client, deviceCookie, null);
  }

  @Override
  public String toString() {
    return "PasswordAttempt[email=" + email + ", password=***, client=" + client + "]";
  }
}
