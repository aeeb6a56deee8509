package dev.latchkey.spring;

import dev.latchkey.verifier.dpop.DpopNonces;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code latchkey.*} settings of the starter (their descriptions are the IDE's completion text,
 * so they are plain sentences).
 *
 * @param issuerUri The auth server's issuer URL (the iss of its tokens); the JWK Set is found
 *     through its /.well-known/openid-configuration. Without it the starter stays off.
 * @param audience The aud values accepted: a token must name one of them (the auth server's
 *     --audience).
 * @param delivery Where tokens are read from: bearer (the Authorization header), cookie (the
 *     session cookie, with the XSRF double-submit check on POST, PUT, PATCH and DELETE) or both
 *     (the header if present, else the cookie).
 * @param cookieName The session cookie read by cookie delivery.
 * @param tokenType The typ header tokens must carry: at+jwt (Latchkey's default) or JWT (an auth
 *     server started with --token-type JWT).
 * @param realm The realm of the WWW-Authenticate challenges.
 * @param revocationFeed The auth server's revocation feed, polled so that revoked sessions are
 *     refused.
 * @param dpop DPoP (RFC 9449): tokens bound to the client's key, sent as Authorization: DPoP with a
 *     DPoP proof header.
 */
@ConfigurationProperties("latchkey")
public record LatchkeyProperties(
    URI issuerUri,
    @DefaultValue("latchkey-demo") List<String> audience,
    @DefaultValue("bearer") Delivery delivery,
    @DefaultValue("__Host-latchkey") String cookieName,
    @DefaultValue("at+jwt") String tokenType,
    @DefaultValue("latchkey") String realm,
    @DefaultValue RevocationFeed revocationFeed,
    @DefaultValue Dpop dpop) {

  /**
   * DPoP-bound tokens (those with cnf.jkt) always need their proof; these settings add to that.
   *
   * @param required Whether every token must be sent as Authorization: DPoP with a valid proof
   *     (unbound tokens sent as Bearer are then refused too).
   * @param publicBaseUrl The URL clients address this application at (e.g. https://api.example.com
   *     behind a proxy): a proof's htu must be it followed by the request path. By default, the URL
   *     the application server received.
   * @param nonces Server nonces (RFC 9449 §8): proofs must carry the nonce this application sends
   *     in DPoP-Nonce, which shortens how long a stolen proof can be used.
   */
  public record Dpop(
      @DefaultValue("false") boolean required, URI publicBaseUrl, @DefaultValue Nonces nonces) {}

  /**
   * DPoP server nonces.
   *
   * @param enabled Whether proofs must carry a current server nonce (use_dpop_nonce with DPoP-Nonce
   *     otherwise).
   * @param secret The secret the nonces are derived from, base64 or base64url of at least 32 random
   *     bytes (e.g. openssl rand -base64 32): every instance given the same secret issues and
   *     accepts the same nonces. Without it each instance has its own, so several instances need
   *     sticky routing.
   * @param period How long a nonce is current; the previous period's nonce is still accepted.
   */
  public record Nonces(
      @DefaultValue("false") boolean enabled, String secret, @DefaultValue("5m") Duration period) {

    private static final String PREFIX = "latchkey.dpop.nonces.";

    /**
     * The nonces these settings describe.
     *
     * @throws IllegalStateException naming the property, for a secret that is not base64 or
     *     base64url of at least 32 bytes or a period under one second
     */
    DpopNonces toNonces(Clock clock) {
      if (period.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalStateException(
            PREFIX + "period must be at least one second (it is " + period + ")");
      }
      return secret == null
          ? DpopNonces.random(period, clock)
          : DpopNonces.withSecret(decodedSecret(), period, clock);
    }

    private byte[] decodedSecret() {
      String text = secret.strip();
      boolean url = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
      byte[] bytes;
      try {
        bytes = (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            PREFIX + "secret is neither base64 nor base64url: " + e.getMessage());
      }
      if (bytes.length < DpopNonces.MIN_SECRET_BYTES) {
        throw new IllegalStateException(
            PREFIX
                + "secret must decode to at least "
                + DpopNonces.MIN_SECRET_BYTES
                + " bytes (it decodes to "
                + bytes.length
                + "); make one with: openssl rand -base64 32");
      }
      return bytes;
    }

    /** Without the secret, which would otherwise show in logs and diagnostics. */
    @Override
    public String toString() {
      return "Nonces[enabled="
          + enabled
          + ", secret="
          + (secret == null ? "(none)" : "(hidden)")
          + ", period="
          + period
          + "]";
    }
  }

  /** Where tokens are read from. */
  public enum Delivery {
    /** {@code Authorization: Bearer <token>}. */
    BEARER,
    /** The session cookie; unsafe methods must send the XSRF header equal to the XSRF cookie. */
    COOKIE,
    /** The Authorization header if present, else the session cookie (with the XSRF check). */
    BOTH
  }

  /**
   * The revocation feed.
   *
   * @param enabled Whether to poll the auth server's revocation feed.
   * @param uri The revocation feed; by default the issuer URL + /api/revocations.
   * @param pollInterval How often to poll the feed: a revoked session is refused within this
   *     interval plus the feed's max-age.
   */
  public record RevocationFeed(
      @DefaultValue("true") boolean enabled, URI uri, @DefaultValue("30s") Duration pollInterval) {

    /** The feed URL: the configured one, else the auth server's under the issuer URL. */
    URI uriFor(URI issuer) {
      if (uri != null) {
        return uri;
      }
      String base = issuer.toString();
      return URI.create((base.endsWith("/") ? base : base + "/") + "api/revocations");
    }
  }
}
