package dev.latchkey.server.metrics;

import dev.latchkey.server.oidc.OidcEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenID provider's counters, in the server's registry: {@code
 * latchkey_oidc_authorizations_total{outcome}} and {@code
 * latchkey_oidc_tokens_total{grant,outcome}} (see {@link OidcEvents} for the words). Every series
 * is there, at 0, from the start.
 */
public final class OidcMetrics implements OidcEvents {
  private final Map<String, Counter> authorizations = new HashMap<>();
  private final Map<String, Counter> tokens = new HashMap<>();

  public OidcMetrics(MeterRegistry registry) {
    for (String outcome : AUTHORIZATION_OUTCOMES) {
      authorizations.put(
          outcome,
          Counter.builder("latchkey.oidc.authorizations")
              .description("Authorization requests by outcome")
              .tag("outcome", outcome)
              .register(registry));
    }
    for (String grant : GRANTS) {
      for (String outcome : TOKEN_OUTCOMES) {
        tokens.put(
            grant + " " + outcome,
            Counter.builder("latchkey.oidc.tokens")
                .description("Token endpoint requests by grant and outcome")
                .tag("grant", grant)
                .tag("outcome", outcome)
                .register(registry));
      }
    }
  }

  @Override
  public void authorization(String outcome) {
    authorizations.getOrDefault(outcome, authorizations.get(REFUSED)).increment();
  }

  @Override
  public void token(String grant, String outcome) {
    String g = List.of(GRANTS).contains(grant) ? grant : "other";
    String o = List.of(TOKEN_OUTCOMES).contains(outcome) ? outcome : "invalid_request";
    tokens.get(g + " " + o).increment();
  }
}
