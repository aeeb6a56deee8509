package dev.latchkey.demo;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;

/**
 * Chromium's virtual authenticator (DevTools protocol, {@code WebAuthn} domain) attached to one
 * page: a platform authenticator (CTAP 2, transport {@code internal}) that keeps discoverable
 * credentials and verifies its user, as a phone's or laptop's passkey provider does, with the user
 * present at once. It lives as long as the page; its credentials are not backup eligible (device
 * bound: a token says {@code hwk}).
 */
final class VirtualAuthenticator {
  private final CDPSession cdp;
  private final String id;

  private VirtualAuthenticator(CDPSession cdp, String id) {
    this.cdp = cdp;
    this.id = id;
  }

  /** {@code WebAuthn.enable}, then {@code WebAuthn.addVirtualAuthenticator} on this page. */
  static VirtualAuthenticator attachTo(Page page) {
    CDPSession cdp = page.context().newCDPSession(page);
    JsonObject enable = new JsonObject();
    enable.addProperty("enableUI", false);
    cdp.send("WebAuthn.enable", enable);
    JsonObject options = new JsonObject();
    options.addProperty("protocol", "ctap2");
    options.addProperty("ctap2Version", "ctap2_1");
    options.addProperty("transport", "internal");
    options.addProperty("hasResidentKey", true);
    options.addProperty("hasUserVerification", true);
    options.addProperty("isUserVerified", true);
    options.addProperty("automaticPresenceSimulation", true);
    JsonObject params = new JsonObject();
    params.add("options", options);
    String id =
        cdp.send("WebAuthn.addVirtualAuthenticator", params).get("authenticatorId").getAsString();
    return new VirtualAuthenticator(cdp, id);
  }

  /**
   * {@code WebAuthn.setUserVerified}: whether the authenticator's check of its user (fingerprint,
   * PIN) succeeds from now on.
   */
  void setUserVerified(boolean verified) {
    JsonObject params = authenticator();
    params.addProperty("isUserVerified", verified);
    cdp.send("WebAuthn.setUserVerified", params);
  }

  /** How many credentials it holds ({@code WebAuthn.getCredentials}). */
  int credentialCount() {
    return cdp.send("WebAuthn.getCredentials", authenticator())
        .getAsJsonArray("credentials")
        .size();
  }

  /** Whether its first credential is discoverable (a resident key: no user name needed). */
  boolean firstIsDiscoverable() {
    return cdp.send("WebAuthn.getCredentials", authenticator())
        .getAsJsonArray("credentials")
        .get(0)
        .getAsJsonObject()
        .get("isResidentCredential")
        .getAsBoolean();
  }

  private JsonObject authenticator() {
    JsonObject params = new JsonObject();
    params.addProperty("authenticatorId", id);
    return params;
  }
}
