package dev.latchkey.server.metrics;

import dev.latchkey.server.keys.KeyState;
import dev.latchkey.server.keys.SigningKeyInfo;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.server.mail.Mailer;
import dev.latchkey.server.revocation.RevocationLog;
import dev.latchkey.server.sessions.RefreshFailure;
import dev.latchkey.server.signin.SignInEvents;
import dev.latchkey.server.signin.SignInOutcome;
import dev.latchkey.server.signin.SignInOutcome.Busy;
import dev.latchkey.server.signin.SignInOutcome.EmailNotVerified;
import dev.latchkey.server.signin.SignInOutcome.InvalidCredentials;
import dev.latchkey.server.signin.SignInOutcome.SignedIn;
import dev.latchkey.server.signin.SignInOutcome.StepRequired;
import dev.latchkey.server.signin.SignInOutcome.Throttled;
import dev.latchkey.server.users.HashingPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The auth server's metrics in one Prometheus registry, scraped at {@code GET /metrics}. Names (as
 * exported): {@code latchkey_logins_total{outcome}} (counted by the sign-in flow as it decides),
 * {@code latchkey_tokens_issued_total}, {@code latchkey_refreshes_total{outcome}}, {@code
 * latchkey_logouts_total}, {@code latchkey_revocations_total{kind}} (by this instance), {@code
 * latchkey_revocations_recorded_total} (in the shared revocation log, by every instance and
 * operator command), {@code latchkey_jwks_requests_total}, {@code latchkey_hash_queue_depth},
 * {@code latchkey_hash_wait_seconds}, {@code latchkey_signing_key_age_seconds{state}}, {@code
 * latchkey_mail_sent_total{outcome}}, {@code latchkey_mail_pending}, {@code
 * latchkey_second_steps_total{method,outcome}} (second sign-in steps, {@code method="passkey"}
 * among them), {@code latchkey_passkey_sign_ins_total{outcome}} (passwordless), and the JVM's.
 * Nothing here carries a user, an address or a token.
 */
public final class ServerMetrics implements SignInEvents {
  /** The sign-in outcomes counted (tag {@code outcome} of {@code latchkey_logins_total}). */
  private static final String SUCCESS = "success";

  private static final String BAD_CREDENTIALS = "bad_credentials";
  private static final String NOT_VERIFIED = "email_not_verified";
  private static final String STEP_REQUIRED = "step_required";
  private static final String THROTTLED = "throttled";
  private static final String UNAVAILABLE = "unavailable";

  private final PrometheusMeterRegistry registry;
  // every tagged counter registered at start (a series is there, at 0, before its first event)
  private final Map<String, Counter> logins;
  private final Map<String, Counter> refreshes;
  private final Map<String, Counter> revocations;
  private final Counter tokensIssued;
  private final Counter logouts;
  private final Counter jwksRequests;
  private final Timer hashWait;

  public ServerMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.logins =
        byTag(
            "latchkey.logins",
            "Password logins by outcome",
            "outcome",
            SUCCESS,
            BAD_CREDENTIALS,
            NOT_VERIFIED,
            STEP_REQUIRED,
            THROTTLED,
            UNAVAILABLE);
    this.refreshes =
        byTag(
            "latchkey.refreshes",
            "Refresh token exchanges by outcome",
            "outcome",
            "success",
            "rejected",
            "reuse_detected");
    this.revocations =
        byTag(
            "latchkey.revocations",
            "Sessions revoked by this server, by kind",
            "kind",
            "logout",
            "refresh_reuse");
    this.tokensIssued =
        Counter.builder("latchkey.tokens.issued")
            .description("Session tokens signed")
            .register(registry);
    this.logouts = Counter.builder("latchkey.logouts").description("Logouts").register(registry);
    this.jwksRequests =
        Counter.builder("latchkey.jwks.requests")
            .description("GET of the JWK Set")
            .register(registry);
    this.hashWait =
        Timer.builder("latchkey.hash.wait")
            .description("Time a login waited for a password hashing thread")
            .register(registry);
  }

  /** The registry, for binders that need it (Jetty). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  private Map<String, Counter> byTag(
      String name, String description, String tag, String... values) {
    Map<String, Counter> counters = new HashMap<>();
    for (String value : values) {
      counters.put(
          value, Counter.builder(name).description(description).tag(tag, value).register(registry));
    }
    return Map.copyOf(counters);
  }

  /** A sign-in's outcome, as the sign-in flow decided it. */
  @Override
  public void decided(SignInOutcome outcome) {
    if (outcome instanceof SignedIn) {
      logins.get(SUCCESS).increment();
      tokenIssued();
    } else if (outcome instanceof StepRequired) {
      logins.get(STEP_REQUIRED).increment();
    } else if (outcome instanceof InvalidCredentials) {
      logins.get(BAD_CREDENTIALS).increment();
    } else if (outcome instanceof EmailNotVerified) {
      logins.get(NOT_VERIFIED).increment();
    } else if (outcome instanceof Throttled) {
      logins.get(THROTTLED).increment();
    } else if (outcome instanceof Busy) {
      logins.get(UNAVAILABLE).increment();
    }
  }

  /** A second sign-in step, by method and outcome (a small fixed set of each, see SignInEvents). */
  @Override
  public void secondStep(String method, String outcome) {
    Counter.builder("latchkey.second.steps")
        .description("Second sign-in steps by method and outcome")
        .tag("method", method)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** A passwordless sign-in with a passkey, by outcome (see SignInEvents). */
  @Override
  public void passkeySignIn(String outcome) {
    Counter.builder("latchkey.passkey.sign.ins")
        .description("Passwordless sign-ins with a passkey by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** A sign-in that met a database outage. */
  @Override
  public void unavailable() {
    logins.get(UNAVAILABLE).increment();
  }

  private void tokenIssued() {
    tokensIssued.increment();
  }

  /** A refresh that rotated the token pair. */
  public void refreshed() {
    refreshes.get("success").increment();
    tokenIssued();
  }

  /**
   * A refused refresh: {@code reuse_detected} (which revoked its session), {@code rejected}, or
   * nothing for one that lost a race with another request (the client retries).
   */
  public void refreshRefused(RefreshFailure reason) {
    if (reason == RefreshFailure.REUSED) {
      refreshes.get("reuse_detected").increment();
      revocation("refresh_reuse");
    } else if (reason != RefreshFailure.CONTENDED) {
      refreshes.get("rejected").increment();
    }
  }

  /**
   * A logout answered; {@code endedASession} when it revoked one (not already ended, not unknown).
   */
  public void logout(boolean endedASession) {
    logouts.increment();
    if (endedASession) {
      revocation("logout");
    }
  }

  /** A session revoked by this server: {@code logout} or {@code refresh_reuse}. */
  private void revocation(String kind) {
    revocations.get(kind).increment();
  }

  public void jwksRequest() {
    jwksRequests.increment();
  }

  /** How long a login waited for a hashing thread. */
  public void hashWait(long nanos) {
    hashWait.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Gauges of the hashing pool's queue and of the signing keys' ages. */
  public void watch(HashingPool hashing, SigningKeys keys, Clock clock) {
    Gauge.builder("latchkey.hash.queue.depth", hashing, HashingPool::queued)
        .description("Logins waiting for a password hashing thread")
        .register(registry);
    for (KeyState state : new KeyState[] {KeyState.ACTIVE, KeyState.NEXT}) {
      Gauge.builder("latchkey.signing.key.age", () -> keyAge(keys, state, clock))
          .description("Seconds since the active key started signing / the next key was published")
          .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
          .baseUnit("seconds")
          .register(registry);
    }
  }

  /** Counters of account mails: sent and failed (after every attempt, or dropped); the queue. */
  public void watchMail(Mailer mailer) {
    for (String outcome : new String[] {"sent", "failed"}) {
      FunctionCounter.builder(
              "latchkey.mail.sent", mailer, m -> outcome.equals("sent") ? m.sent() : m.failed())
          .description("Account mails by outcome: sent, or failed after every attempt")
          .tag("outcome", outcome)
          .register(registry);
    }
    Gauge.builder("latchkey.mail.pending", mailer, Mailer::pending)
        .description("Account mails queued or waiting for a retry")
        .register(registry);
  }

  /**
   * The shared revocation log's head: every session or key revocation recorded in the database,
   * whoever made it (this instance, another, or {@code latchkey sessions revoke}).
   */
  public void watchRevocations(RevocationLog revocations) {
    FunctionCounter.builder("latchkey.revocations.recorded", revocations, ServerMetrics::head)
        .description("Revocations in the shared revocation log, by every instance and command")
        .register(registry);
  }

  private static double head(RevocationLog revocations) {
    try {
      return revocations.head();
    } catch (RuntimeException e) {
      return Double.NaN; // database unreachable: no value rather than a failed scrape
    }
  }

  private static double keyAge(SigningKeys keys, KeyState state, Clock clock) {
    try {
      for (SigningKeyInfo key : keys.published()) {
        if (key.state() == state) {
          Instant since = state == KeyState.ACTIVE ? key.activatedAt() : key.createdAt();
          return Duration.between(since, clock.instant()).toMillis() / 1000.0;
        }
      }
      return Double.NaN;
    } catch (RuntimeException e) {
      return Double.NaN; // database unreachable: no value rather than a failed scrape
    }
  }
}
