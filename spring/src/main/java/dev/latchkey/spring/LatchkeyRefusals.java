package dev.latchkey.spring;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RefusalHeaders;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.wire.AuthenticationMethods;
import dev.latchkey.verifier.wire.ErrorResponse;
import dev.latchkey.verifier.wire.Roles;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Spring Security's refusals in Latchkey's wire shape ({@link ErrorResponse}): no token, 401 with
 * {@code WWW-Authenticate: Bearer realm="…"} and {@code missing_token}; a refused token, 401 with
 * {@code error="invalid_token"} and the reason code (503 with {@code Retry-After} for {@code
 * keys_unavailable}); a valid token without the authority a rule asks for, 403 with {@code
 * error="insufficient_scope"}; one without the second factor {@link
 * LatchkeyAuthorization#secondFactor()} asks for, 403 with {@code
 * error="insufficient_user_authentication"} (RFC 9470). A token sent with the DPoP scheme is
 * challenged with {@code DPoP …, algs="…"} instead of {@code Bearer} (RFC 9449 §7.1), 403s too.
 * Every refusal has {@code Cache-Control: no-store}.
 */
public final class LatchkeyRefusals implements AuthenticationEntryPoint, AccessDeniedHandler {
  private static final Logger LOG = LoggerFactory.getLogger("dev.latchkey.verifier.auth");

  private final String realm;
  private final JwtVerifier verifier;

  public LatchkeyRefusals(String realm, JwtVerifier verifier) {
    this.realm = ErrorResponse.checkedRealm(realm);
    this.verifier = verifier;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    RejectionReason r = reasonOf(e);
    if (r == null) {
      LOG.debug("{} refused: no token", request.getMethod());
      write(
          response,
          401,
          RefusalHeaders.missingToken(verifier, realm),
          ErrorResponse.body(ErrorResponse.MISSING_TOKEN, ErrorResponse.MISSING_TOKEN_MESSAGE));
      return;
    }
    refuse(request, response, r, false);
  }

  /**
   * Answers a refused token as the verifier's adapters do ({@link RefusalHeaders#refused}): a
   * {@code DPoP} challenge when the request used the DPoP scheme, the reason concerns DPoP or DPoP
   * is required, else the {@code Bearer} one; 503 with {@code Retry-After} for a token not judged.
   */
  void refuse(
      HttpServletRequest request, HttpServletResponse response, RejectionReason r, boolean dpop)
      throws IOException {
    LOG.info("{} refused: {}", request.getMethod(), r.code());
    write(response, r.httpStatus(), RefusalHeaders.refused(verifier, realm, r, dpop), r.body());
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    if (e instanceof AuthorizationDeniedException denied
        && denied.getAuthorizationResult() instanceof LatchkeyAuthorization.SecondFactorRequired) {
      refuseSingleFactor(request, response);
      return;
    }
    LOG.info("{} refused: {}", request.getMethod(), Roles.INSUFFICIENT_SCOPE);
    write(
        response,
        403,
        RefusalHeaders.insufficientScope(verifier, realm, sentWithDpop(request)),
        ErrorResponse.body(Roles.INSUFFICIENT_SCOPE, Roles.INSUFFICIENT_SCOPE_MESSAGE));
  }

  /** Whether the request's token came with the DPoP scheme and its proof ({@link DpopFilter}). */
  private static boolean sentWithDpop(HttpServletRequest request) {
    return request.getAttribute(DpopFilter.VERIFIED) != null;
  }

  /**
   * A valid token that does not say the user passed a second factor: 403 with {@code
   * error="insufficient_user_authentication"} (RFC 9470), in a {@code DPoP} challenge for a token
   * sent with the DPoP scheme, as the verifier's adapters answer it.
   */
  private void refuseSingleFactor(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    LOG.info(
        "{} refused: {}",
        request.getMethod(),
        AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION);
    write(
        response,
        403,
        RefusalHeaders.secondFactorRequired(verifier, realm, sentWithDpop(request)),
        ErrorResponse.body(
            AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION,
            AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION_MESSAGE));
  }

  /** The verifier's reason behind a refusal, or null when no token was judged. */
  private static RejectionReason reasonOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TokenRejectedException rejected) {
        return rejected.reason();
      }
    }
    return null;
  }

  static void write(
      HttpServletResponse response, int status, Map<String, String> headers, String body)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Cache-Control", "no-store");
    response.setStatus(status);
    all.forEach(response::setHeader);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
