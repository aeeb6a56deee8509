package dev.latchkey.server.http.exchange;

import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.wire.Xsrf;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every cookie the auth server sets, written as raw {@code Set-Cookie} headers so that each
 * attribute is exactly what this class says:
 *
 * <ul>
 *   <li>the session cookie ({@code HttpOnly; SameSite=Lax; Path=/}, Secure unless insecure cookies
 *       are configured, with the configured Domain) and the script-readable {@code XSRF-TOKEN}
 *       cookie beside it, holding the session's XSRF value (see {@link
 *       dev.latchkey.server.tokens.SessionXsrf});
 *   <li>the refresh cookie ({@code HttpOnly; Secure; SameSite=Strict; Path=/api/refresh});
 *   <li>the second-step cookie ({@code HttpOnly; SameSite=Strict; Path=/}, host-only) that binds a
 *       pending sign-in to the browser that typed the password;
 *   <li>the hosted login form's CSRF cookie ({@code HttpOnly; SameSite=Strict; Path=/}, host-only
 *       even when the session cookie has a Domain, so that a sibling sub-domain cannot set it);
 *   <li>the OpenID provider's single-sign-on cookie ({@code __Host-latchkey-sso}: {@code HttpOnly;
 *       SameSite=Lax; Path=/}, host-only, so that a client's top-level navigation to {@code
 *       /authorize} carries it).
 * </ul>
 */
public final class BrowserCookies {
  private static final Logger log = LoggerFactory.getLogger(BrowserCookies.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Longer session cookie values are ignored (a JWT of this server is far shorter). */
  private static final int MAX_TOKEN_LENGTH = 8192;

  private static final long CSRF_MAX_AGE_SECONDS = 3600;

  /** A cookie's name and fixed attributes; {@link #header} gives its {@code Set-Cookie} header. */
  private record Cookie(
      String name, String path, String domain, boolean secure, boolean httpOnly, String sameSite) {
    String header(String value, long maxAge) {
      StringBuilder b = new StringBuilder(name).append('=').append(value);
      b.append("; Path=").append(path);
      if (domain != null) {
        b.append("; Domain=").append(domain);
      }
      b.append("; Max-Age=").append(maxAge);
      if (maxAge == 0) {
        b.append("; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
      }
      if (secure) {
        b.append("; Secure");
      }
      if (httpOnly) {
        b.append("; HttpOnly");
      }
      return b.append("; SameSite=").append(sameSite).toString();
    }
  }

  /** How long a device cookie lives: a year (browsers cap cookies at 400 days). */
  public static final Duration DEVICE_MAX_AGE = Duration.ofDays(365);

  private final DeliveryMode mode;
  private final long sessionMaxAge;
  private final Clock clock;
  private final Cookie session;
  private final Cookie xsrf;
  private final Cookie refresh;
  private final Cookie hostedLoginCsrf;
  private final Cookie device;
  private final Cookie secondStep;
  private final Cookie sso;

  /** Every cookie name of ours: a request that carries one of them twice is refused. */
  private final Set<String> names;

  /**
   * @param sessionLength the longest a session cookie lives, whatever a token's expiry says
   */
  public BrowserCookies(
      DeliverySettings delivery, Duration sessionLength, RefreshSettings refresh, Clock clock) {
    boolean secure = delivery.secureCookies();
    String domain = delivery.cookieDomain();
    this.mode = delivery.mode();
    this.sessionMaxAge = sessionLength.toSeconds();
    this.clock = clock;
    this.session = new Cookie(delivery.effectiveCookieName(), "/", domain, secure, true, "Lax");
    this.xsrf = new Cookie(Xsrf.COOKIE, "/", domain, secure, false, "Lax");
    this.refresh = new Cookie(refresh.cookieName(), "/api/refresh", null, true, true, "Strict");
    this.hostedLoginCsrf =
        new Cookie(
            secure ? "__Host-latchkey-csrf" : "latchkey-csrf", "/", null, secure, true, "Strict");
    this.device =
        new Cookie(
            secure ? "__Host-latchkey-device" : "latchkey-device",
            "/",
            null,
            secure,
            true,
            "Strict");
    this.secondStep =
        new Cookie(
            secure ? "__Host-latchkey-mfa" : "latchkey-mfa", "/", null, secure, true, "Strict");
    this.sso =
        new Cookie(secure ? "__Host-latchkey-sso" : "latchkey-sso", "/", null, secure, true, "Lax");
    this.names =
        Set.of(
            session.name(),
            xsrf.name(),
            this.refresh.name(),
            hostedLoginCsrf.name(),
            device.name(),
            secondStep.name(),
            sso.name());
    if (delivery.insecureCookies()) {
      log.warn(
          "Insecure cookies: the session and XSRF cookies are sent without Secure, so over plain"
              + " HTTP anyone on the network can read them. Use this only for development.");
    }
  }

  // ---- writing ------------------------------------------------------------------------------

  /**
   * The cookies of a login or a refresh: the session and XSRF cookies in the cookie and both
   * delivery modes, and the refresh cookie when the session has a refresh token.
   */
  public void setOnLogin(Context ctx, SessionTokens tokens) {
    if (mode.setsCookies()) {
      setSession(ctx, tokens);
    }
    setRefresh(ctx, tokens);
  }

  /**
   * The cookies of a hosted login: the session cookie whatever the delivery mode, as the page
   * answers with a redirect and a cookie is the only way the session reaches the application
   * (which, in body mode, then exchanges it for a token at {@code GET /api/session}).
   */
  public void setOnHostedLogin(Context ctx, SessionTokens tokens) {
    setSession(ctx, tokens);
    setRefresh(ctx, tokens);
  }

  /**
   * The cookies of a logout: deletes every cookie this server sets for a session, whatever the
   * delivery mode and whatever the request sent: the session cookie (also set by the hosted login
   * page in body mode), the XSRF cookie, the refresh cookie (scoped to {@code /api/refresh}, so a
   * logout never receives it, but may still delete it). Kept: a device cookie, which names a
   * browser that logged in before, not a session; and the hosted forms' CSRF cookie, which guards a
   * form, not a session: deleting it made a form the browser still shows fail (a login form in
   * another tab, or the OpenID logout question while the app's own logout call was answered).
   */
  public void clearOnLogout(Context ctx) {
    add(ctx, clearedRefresh());
    add(ctx, session.header("", 0));
    add(ctx, xsrf.header("", 0));
  }

  /** Deletes the refresh cookie: a refused refresh whose session is over. */
  public void clearRefresh(Context ctx) {
    add(ctx, clearedRefresh());
  }

  /** The {@code Set-Cookie} value that deletes the refresh cookie. */
  public String clearedRefresh() {
    return refresh.header("", 0);
  }

  /**
   * Sets the device cookie of a successful login (API or hosted page): host-only, {@code HttpOnly},
   * {@code SameSite=Strict}, for {@link #DEVICE_MAX_AGE}. A logout keeps it.
   */
  public void setDevice(Context ctx, String value) {
    add(ctx, device.header(value, DEVICE_MAX_AGE.toSeconds()));
  }

  /**
   * The request's device cookie value, or {@code null}.
   *
   * @throws ApiError {@code 400 duplicate_cookie} (as every reader here) when the request carries
   *     one of our cookie names twice
   */
  public String deviceCookie(Context ctx) {
    return sent(ctx, device);
  }

  /** Sets the cookie binding a pending sign-in to this browser, for as long as it lives. */
  public void setSecondStepBinding(Context ctx, String value, Duration maxAge) {
    add(ctx, secondStep.header(value, Math.max(1, maxAge.toSeconds())));
  }

  /** Deletes the second-step cookie (its sign-in is done). */
  public void clearSecondStepBinding(Context ctx) {
    add(ctx, secondStep.header("", 0));
  }

  /** The request's second-step cookie value, or {@code null}. */
  public String secondStepBinding(Context ctx) {
    return sent(ctx, secondStep);
  }

  /** Sets the hosted login form's CSRF cookie. */
  public void setHostedLoginCsrf(Context ctx, String token) {
    add(ctx, hostedLoginCsrf.header(token, CSRF_MAX_AGE_SECONDS));
  }

  /** Sets the single-sign-on cookie of the OpenID provider, for {@code maxAge}. */
  public void setSingleSignOn(Context ctx, String value, Duration maxAge) {
    add(ctx, sso.header(value, Math.max(0, maxAge.toSeconds())));
  }

  /** Deletes the single-sign-on cookie (an RP-initiated logout). */
  public void clearSingleSignOn(Context ctx) {
    add(ctx, sso.header("", 0));
  }

  /** The request's single-sign-on cookie value, or {@code null}. */
  public String singleSignOn(Context ctx) {
    return sent(ctx, sso);
  }

  private void setSession(Context ctx, SessionTokens tokens) {
    long maxAge = Math.max(0, Math.min(tokens.access().expiresIn(), sessionMaxAge));
    add(ctx, session.header(tokens.access().token(), maxAge));
    add(ctx, xsrf.header(tokens.access().xsrf(), maxAge));
  }

  private void setRefresh(Context ctx, SessionTokens tokens) {
    if (tokens.refreshToken() != null) {
      long maxAge = Duration.between(Instant.now(clock), tokens.refreshExpiresAt()).toSeconds();
      add(ctx, refresh.header(tokens.refreshToken(), Math.max(0, maxAge)));
    }
  }

  private static void add(Context ctx, String setCookie) {
    ctx.res().addHeader("Set-Cookie", setCookie);
  }

  // ---- reading ------------------------------------------------------------------------------

  /** The session token from the request's session cookie, if any. */
  public Optional<String> sessionToken(Context ctx) {
    String value = sent(ctx, session);
    if (value == null || value.isEmpty() || value.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** The refresh token from the request's refresh cookie, or {@code null}. */
  public String refreshToken(Context ctx) {
    return sent(ctx, refresh);
  }

  /** The hosted login form's CSRF token from its cookie, or {@code null}. */
  public String hostedLoginCsrf(Context ctx) {
    return sent(ctx, hostedLoginCsrf);
  }

  /**
   * The value of one of our cookies from the raw {@code Cookie} header, after checking that no name
   * of ours comes twice (see {@link SentCookies}): a request that carries a tossed cookie is
   * refused before anything is read, rotated, revoked or cleared.
   */
  private String sent(Context ctx, Cookie cookie) {
    return SentCookies.of(ctx, names).get(cookie.name());
  }

  /**
   * Whether a request that presents {@code token} in the session cookie passes the XSRF check: its
   * header equals its XSRF cookie and is the value the token's {@code xsrf} claim binds (see {@link
   * Xsrf#passes}). A cross-site page cannot set the header; a sibling sub-domain that tosses its
   * own cookie cannot make a value the session's token binds.
   */
  public static boolean xsrfPasses(Context ctx, VerifiedToken token) {
    return Xsrf.passes(
        SentCookies.of(ctx, Set.of(Xsrf.COOKIE)).get(Xsrf.COOKIE),
        ctx.header(Xsrf.HEADER),
        token.claimsSet().getClaim(Xsrf.CLAIM));
  }

  /** A fresh random token: 256 bits, base64url without padding (43 characters). */
  public static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
