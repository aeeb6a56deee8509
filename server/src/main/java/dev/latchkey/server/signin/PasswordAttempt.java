package dev.latchkey.server.signin;

/**
 * A password offered to sign in: the email and password as typed, the client address the throttle
 * counts it against, and the device cookie the browser showed ({@code null} without one). The
 * password array is wiped once the attempt is judged.
 */
public record PasswordAttempt(String email, char[] password, String client, String deviceCookie) {

  @Override
  public String toString() {
    return "PasswordAttempt[email=" + email + ", password=***, client=" + client + "]";
  }
}
