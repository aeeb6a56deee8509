package dev.latchkey.demo;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.VerifierMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The verifier's own {@link VerifierMetrics} snapshot bound as Prometheus meters (the verifier
 * library itself does not depend on Micrometer): {@code latchkey_verifier_verifications_total
 * {outcome,reason}}, {@code _cache_hits_total}, {@code _jwks_fetches_total{outcome}}, {@code
 * _keys_held}, {@code _keys_age_seconds}, {@code _revocation_polls_total{outcome}}, {@code
 * _revocation_feed_age_seconds}, plus the JVM's.
 */
final class VerifierMeters {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  VerifierMeters(JwtVerifier verifier) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    counter(verifier, "verifications", VerifierMetrics::accepted, "outcome", "accepted", null);
    for (RejectionReason reason : RejectionReason.values()) {
      counter(
          verifier, "verifications", m -> m.rejected(reason), "outcome", "rejected", reason.code());
    }
    counter(verifier, "cache.hits", VerifierMetrics::cacheHits, null, null, null);
    counter(verifier, "jwks.fetches", VerifierMetrics::jwksFetchesOk, "outcome", "ok", null);
    counter(
        verifier, "jwks.fetches", VerifierMetrics::jwksFetchesFailed, "outcome", "failed", null);
    counter(
        verifier, "revocation.polls", VerifierMetrics::revocationPollsOk, "outcome", "ok", null);
    counter(
        verifier,
        "revocation.polls",
        VerifierMetrics::revocationPollsFailed,
        "outcome",
        "failed",
        null);
    gauge(verifier, "keys.held", m -> m.keysHeld(), null);
    gauge(verifier, "keys.age", m -> seconds(m.keysAge()), "seconds");
    gauge(verifier, "revocation.feed.age", m -> seconds(m.revocationFeedAge()), "seconds");
    gauge(verifier, "revoked.sessions.held", m -> m.revokedSessionsHeld(), null);
  }

  String scrape() {
    return registry.scrape();
  }

  private void counter(
      JwtVerifier verifier,
      String name,
      ToDoubleFunction<VerifierMetrics> value,
      String tag,
      String tagValue,
      String reason) {
    FunctionCounter.Builder<JwtVerifier> b =
        FunctionCounter.builder(
            "latchkey.verifier." + name, verifier, v -> value.applyAsDouble(v.metrics()));
    if (tag != null) {
      b.tag(tag, tagValue);
    }
    if (name.equals("verifications")) {
      b.tag("reason", reason == null ? "none" : reason.toLowerCase(Locale.ROOT));
    }
    b.register(registry);
  }

  private void gauge(
      JwtVerifier verifier, String name, ToDoubleFunction<VerifierMetrics> value, String unit) {
    Gauge.Builder<JwtVerifier> b =
        Gauge.builder("latchkey.verifier." + name, verifier, v -> value.applyAsDouble(v.metrics()));
    if (unit != null) {
      b.baseUnit(unit);
    }
    b.register(registry);
  }

  private static double seconds(Duration d) {
    return d == null ? Double.NaN : d.toMillis() / 1000.0;
  }
}
