package dev.latchkey.server.accounts;

/** What a one-time link is for; the stored name and the path of the page that receives it. */
enum TokenPurpose {
  VERIFY("verify", "verify-email"),
  RESET("reset", "reset-password");

  final String stored;
  final String page;

  TokenPurpose(String stored, String page) {
    this.stored = stored;
    this.page = page;
  }
}
