package dev.latchkey.server.oidc;

/** An operator's client registration that cannot be done; the message says why. */
public final class ClientException extends RuntimeException {
  private final String code;

  public ClientException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** {@code invalid_client_id}, {@code invalid_redirect_uri}, {@code client_exists}, … */
  public String code() {
    return code;
  }
}
