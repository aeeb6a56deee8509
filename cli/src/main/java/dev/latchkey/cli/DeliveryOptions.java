package dev.latchkey.cli;

import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.delivery.DeliverySettings;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** How {@code serve} hands the session to the browser: delivery mode, cookies, hosted login. */
final class DeliveryOptions {

  @Option(
      names = "--delivery",
      defaultValue = "body",
      converter = ModeConverter.class,
      description =
          "How login answers: body (token in the JSON), cookie (HttpOnly cookie + XSRF-TOKEN)"
              + " or both (LATCHKEY_DELIVERY). Default: ${DEFAULT-VALUE}.")
  DeliveryMode mode;

  @Option(
      names = "--cookie-name",
      description =
          "Session cookie name (LATCHKEY_COOKIE_NAME)."
              + " Default: __Host-latchkey without a domain, else latchkey.")
  String cookieName;

  @Option(
      names = "--cookie-domain",
      description =
          "Domain of the session and XSRF-TOKEN cookies, e.g. example.com (LATCHKEY_COOKIE_DOMAIN)."
              + " Default: host-only cookies.")
  String cookieDomain;

  @Option(
      names = "--insecure-cookies",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1",
      description =
          "Drop Secure from the cookies: plain-HTTP development off localhost only; warns at"
              + " start (LATCHKEY_INSECURE_COOKIES). Default: ${DEFAULT-VALUE}.")
  boolean insecureCookies;

  @Option(
      names = "--hosted-login",
      defaultValue = "true",
      fallbackValue = "true",
      arity = "0..1",
      description =
          "Serve the hosted login page GET/POST /login; --hosted-login=false turns it off"
              + " (LATCHKEY_HOSTED_LOGIN). Default: ${DEFAULT-VALUE}.")
  boolean hostedLogin;

  @Option(
      names = "--return-to",
      split = ",",
      paramLabel = "URL",
      description =
          "Where the hosted login page may redirect, http(s)://host[:port][/path]: exact origin,"
              + " path prefix; repeatable (LATCHKEY_RETURN_TO, comma-separated).")
  List<String> returnTo = List.of();

  @Option(
      names = "--default-return-to",
      description =
          "Where the hosted login page redirects when return_to is missing or not allowed:"
              + " an absolute URL or a path here (LATCHKEY_DEFAULT_RETURN_TO). Default: /login/done.")
  String defaultReturnTo;

  /** The delivery settings these options name. */
  DeliverySettings settings() {
    return new DeliverySettings(
        mode, cookieName, cookieDomain, insecureCookies, hostedLogin, returnTo, defaultReturnTo);
  }

  /** {@code body}, {@code cookie} or {@code both}, in any case. */
  static final class ModeConverter implements ITypeConverter<DeliveryMode> {
    @Override
    public DeliveryMode convert(String value) {
      try {
        return DeliveryMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not body, cookie or both");
      }
    }
  }
}
