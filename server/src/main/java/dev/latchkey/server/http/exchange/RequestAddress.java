package dev.latchkey.server.http.exchange;

import dev.latchkey.server.throttle.ClientAddress;
import io.javalin.http.Context;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** The client address a login is counted against by the brute-force throttle. */
public final class RequestAddress {
  private final ClientAddress clientAddress;

  /**
   * @param trustedProxies the reverse proxies whose {@code X-Forwarded-For} is believed
   */
  public RequestAddress(List<String> trustedProxies) {
    this.clientAddress = new ClientAddress(trustedProxies);
  }

  /** The request's client (see {@link ClientAddress#resolve}). */
  public String of(Context ctx) {
    List<String> forwarded = List.of();
    if (clientAddress.trustsProxies()) {
      Enumeration<String> values = ctx.req().getHeaders("X-Forwarded-For");
      forwarded = values == null ? List.of() : Collections.list(values);
    }
    return clientAddress.resolve(ctx.req().getRemoteAddr(), forwarded);
  }
}
