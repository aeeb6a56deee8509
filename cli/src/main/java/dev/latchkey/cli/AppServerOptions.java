package dev.latchkey.cli;

import dev.latchkey.demo.DemoConfig;
import picocli.CommandLine.Option;

/**
 * The demo application server's port and session delivery, shared by {@code app} and {@code demo}.
 */
final class AppServerOptions {

  @Option(
      names = {"--port", "--app-port"},
      defaultValue = "8080",
      description = "Demo application server port (LATCHKEY_APP_PORT). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--delivery",
      defaultValue = "body",
      description =
          "How the session reaches the browser: body (token in localStorage, bearer header) or"
              + " cookie (HttpOnly cookie + XSRF header) (LATCHKEY_DELIVERY)."
              + " Default: ${DEFAULT-VALUE}.")
  String delivery;

  @Option(
      names = "--admin-requires-mfa",
      defaultValue = "false",
      description =
          "The admin page's API also requires a second factor: a token whose amr says the admin"
              + " signed in with a code (LATCHKEY_ADMIN_REQUIRES_MFA). Default: ${DEFAULT-VALUE}.")
  boolean adminRequiresMfa;

  /** The demo server's defaults with these options. */
  DemoConfig config() {
    return DemoConfig.defaults()
        .withPort(port)
        .withDelivery(delivery)
        .withAdminRequiresSecondFactor(adminRequiresMfa);
  }
}
