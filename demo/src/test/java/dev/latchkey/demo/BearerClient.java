package dev.latchkey.demo;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Route;

/**
 * Turns the demo client's DPoP off in one browser context, for a test that sends the page's token
 * from Java to check something else (a role, a second factor, a revocation): a token bound to the
 * browser's key is refused without its proof, which Java cannot make. {@link DpopBrowserTest} is
 * the test of DPoP itself.
 */
final class BearerClient {
  private BearerClient() {}

  /** Rewrites {@code /config.json} for this context's pages: {@code "dpop": false}. */
  static void use(BrowserContext context) {
    context.route("**/config.json", BearerClient::withDpopOff);
  }

  /** The pages of this context load the demo's own {@code /config.json} again: DPoP on. */
  static void stop(BrowserContext context) {
    context.unroute("**/config.json");
  }

  private static void withDpopOff(Route route) {
    String body = route.fetch().text();
    if (!body.contains("\"dpop\":true")) {
      throw new AssertionError("the demo's /config.json no longer turns DPoP on: " + body);
    }
    route.fulfill(
        new Route.FulfillOptions()
            .setStatus(200)
            .setContentType("application/json")
            .setBody(body.replace("\"dpop\":true", "\"dpop\":false")));
  }
}
