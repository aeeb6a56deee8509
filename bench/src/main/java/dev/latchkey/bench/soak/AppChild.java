package dev.latchkey.bench.soak;

import dev.latchkey.demo.DemoConfig;
import dev.latchkey.demo.DemoServer;
import java.net.URI;
import java.util.Map;

/**
 * The demo application server as its own JVM, what {@code latchkey app} runs: {@link DemoServer}
 * with its defaults (verified-token cache on, revocation feed polled), keys from {@code
 * --auth-url}'s JWKS. Writes {@code APP_URL} to {@code --env-file} when ready; runs until SIGTERM
 * or {@code --max-seconds}. Started by {@link ServerProcess}.
 */
public final class AppChild {
  private AppChild() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = ChildArgs.parse(args);
    DemoServer app =
        DemoServer.start(
            DemoConfig.defaults().withPort(0).withAuthUrl(URI.create(o.get("--auth-url"))));
    ChildArgs.serveUntilStopped(o, "APP_URL=" + app.baseUrl() + "\n", app::close);
  }
}
