package dev.latchkey.server.delivery;

import dev.latchkey.server.hosted.ReturnToPolicy;
import dev.latchkey.verifier.wire.Xsrf;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the session reaches the browser: the delivery mode of {@code POST /api/login}, the session
 * cookie, and the hosted login page's redirect allow-list. Part of {@code AuthServerConfig} ({@code
 * config.delivery()}); change it with the config's {@code withDelivery}, {@code withCookieName},
 * {@code withCookieDomain}, {@code withInsecureCookies}, {@code withHostedLogin}, {@code
 * withReturnToAllowList} and {@code withDefaultReturnTo}.
 *
 * @param mode {@code body} (default), {@code cookie} or {@code both}
 * @param cookieName the session cookie's name; {@code null} means {@code __Host-latchkey} without a
 *     Domain (and with Secure), else {@code latchkey}
 * @param cookieDomain the session and XSRF cookies' {@code Domain} (e.g. {@code example.com} so
 *     that a login on {@code login.example.com} serves {@code app.example.com}); {@code null} for
 *     host-only cookies
 * @param insecureCookies drops {@code Secure} from the cookies, for plain-HTTP development on a
 *     host other than localhost only; logged as a warning at start
 * @param hostedLogin whether {@code GET/POST /login} (the hosted login page) exist
 * @param returnToAllowList where the hosted page may redirect: {@code
 *     http(s)://host[:port][/path]}, matched exactly by origin and by path prefix
 * @param defaultReturnTo where the hosted page redirects when {@code return_to} is missing or not
 *     allowed: an absolute URL or a path on the auth server (default {@code /login/done})
 */
public record DeliverySettings(
    DeliveryMode mode,
    String cookieName,
    String cookieDomain,
    boolean insecureCookies,
    boolean hostedLogin,
    List<String> returnToAllowList,
    String defaultReturnTo) {

  /** The built-in page the hosted login goes to when nothing else is configured. */
  public static final String DONE_PATH = "/login/done";

  private static final String TOKEN_CHARS = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";

  public DeliverySettings {
    Objects.requireNonNull(mode, "delivery mode");
    if (cookieDomain != null) {
      cookieDomain = cookieDomain.strip().toLowerCase(Locale.ROOT);
      if (cookieDomain.startsWith(".")) {
        cookieDomain = cookieDomain.substring(1);
      }
      if (!cookieDomain.matches(
          "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
        throw new IllegalArgumentException("the cookie domain is a host name, got " + cookieDomain);
      }
    }
    if (cookieName != null) {
      if (!cookieName.matches(TOKEN_CHARS)) {
        throw new IllegalArgumentException(
            "a cookie name is letters, digits and !#$%&'*+-.^_`|~ only, got " + cookieName);
      }
      String lower = cookieName.toLowerCase(Locale.ROOT);
      if (lower.startsWith("__host-") && (cookieDomain != null || insecureCookies)) {
        throw new IllegalArgumentException(
            "a __Host- cookie needs Secure and no Domain; choose another cookie name");
      }
      if (lower.startsWith("__secure-") && insecureCookies) {
        throw new IllegalArgumentException("a __Secure- cookie needs Secure");
      }
      if (lower.equals(Xsrf.COOKIE.toLowerCase(Locale.ROOT)) || lower.contains("latchkey-csrf")) {
        throw new IllegalArgumentException("the session cookie name is taken: " + cookieName);
      }
    }
    returnToAllowList = List.copyOf(Objects.requireNonNull(returnToAllowList, "returnToAllowList"));
    if (defaultReturnTo == null) {
      defaultReturnTo = DONE_PATH;
    }
    ReturnToPolicy policy = ReturnToPolicy.of(returnToAllowList, defaultReturnTo);
    returnToAllowList = policy.entries();
  }

  /** Body delivery, host-only Secure cookies, hosted page on, empty allow-list. */
  public static DeliverySettings defaults() {
    return new DeliverySettings(DeliveryMode.BODY, null, null, false, true, List.of(), null);
  }

  /** The session cookie's name actually used. */
  public String effectiveCookieName() {
    if (cookieName != null) {
      return cookieName;
    }
    return cookieDomain == null && !insecureCookies ? "__Host-latchkey" : "latchkey";
  }

  /** Whether cookies carry {@code Secure}. */
  public boolean secureCookies() {
    return !insecureCookies;
  }

  /** The checked allow-list and default target of the hosted login page. */
  public ReturnToPolicy returnToPolicy() {
    return ReturnToPolicy.of(returnToAllowList, defaultReturnTo);
  }

  public DeliverySettings withMode(DeliveryMode v) {
    return new DeliverySettings(
        v,
        cookieName,
        cookieDomain,
        insecureCookies,
        hostedLogin,
        returnToAllowList,
        defaultReturnTo);
  }

  public DeliverySettings withCookieName(String v) {
    return new DeliverySettings(
        mode, v, cookieDomain, insecureCookies, hostedLogin, returnToAllowList, defaultReturnTo);
  }

  public DeliverySettings withCookieDomain(String v) {
    return new DeliverySettings(
        mode, cookieName, v, insecureCookies, hostedLogin, returnToAllowList, defaultReturnTo);
  }

  public DeliverySettings withInsecureCookies(boolean v) {
    return new DeliverySettings(
        mode, cookieName, cookieDomain, v, hostedLogin, returnToAllowList, defaultReturnTo);
  }

  public DeliverySettings withHostedLogin(boolean v) {
    return new DeliverySettings(
        mode, cookieName, cookieDomain, insecureCookies, v, returnToAllowList, defaultReturnTo);
  }

  public DeliverySettings withReturnToAllowList(List<String> v) {
    return new DeliverySettings(
        mode, cookieName, cookieDomain, insecureCookies, hostedLogin, v, defaultReturnTo);
  }

  public DeliverySettings withDefaultReturnTo(String v) {
    return new DeliverySettings(
        mode, cookieName, cookieDomain, insecureCookies, hostedLogin, returnToAllowList, v);
  }

  @Override
  public String toString() {
    return "delivery="
        + mode
        + ", cookie="
        + effectiveCookieName()
        + (cookieDomain == null ? "" : "; Domain=" + cookieDomain)
        + (insecureCookies ? " (INSECURE)" : "")
        + ", hostedLogin="
        + hostedLogin
        + ", returnToAllowList="
        + returnToAllowList
        + ", defaultReturnTo="
        + defaultReturnTo;
  }
}
