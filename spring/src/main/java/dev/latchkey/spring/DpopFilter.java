package dev.latchkey.spring;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RefusalHeaders;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.dpop.DpopRequest;
import dev.latchkey.verifier.wire.BearerToken;
import dev.latchkey.verifier.wire.Dpop;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: DPoP <token>} with its {@code DPoP} proof, checked by the Latchkey verifier
 * (the same rules as the Javalin and Servlet adapters): a refusal is answered at once in Latchkey's
 * shape; with server nonces on, every answer carries {@code DPoP-Nonce}; an accepted request
 * continues as an already verified bearer request, which {@link LatchkeyJwtDecoder} turns into the
 * principal without verifying again (the proof's {@code jti} is spent). Spring Security's own DPoP
 * filter then has nothing to do.
 */
final class DpopFilter extends OncePerRequestFilter {
  /** The request attribute holding the token this filter verified with its proof. */
  static final String VERIFIED = "latchkey.dpop.verified";

  /** A token and its verification, as this filter accepted them. */
  record Verified(String token, VerifiedToken verified) {}

  private final JwtVerifier verifier;
  private final JwtDecoder decoder;
  private final LatchkeyRefusals refusals;
  private final URI publicBaseUrl;

  DpopFilter(
      JwtVerifier verifier, JwtDecoder decoder, LatchkeyRefusals refusals, URI publicBaseUrl) {
    this.verifier = verifier;
    this.decoder = decoder;
    this.refusals = refusals;
    this.publicBaseUrl = publicBaseUrl;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String token = Dpop.parse(request.getHeader(BearerToken.HEADER));
    if (token == null) {
      chain.doFilter(request, response);
      return;
    }
    VerifiedToken verified;
    try {
      verified =
          verifier.verifyDpop(
              token,
              new DpopRequest(
                  Collections.list(request.getHeaders(Dpop.PROOF_HEADER)),
                  request.getMethod(),
                  publicUrl(request)));
    } catch (TokenRejectedException e) {
      refusals.refuse(request, response, e.reason(), true);
      return;
    }
    RefusalHeaders.dpopNonce(verifier, true).forEach(response::setHeader);
    request.setAttribute(VERIFIED, new Verified(token, verified));
    SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(new RolesAuthenticationConverter().convert(decoder.decode(token)));
    contexts.setContext(context);
    chain.doFilter(new WithoutAuthorization(request), response);
  }

  private URI publicUrl(HttpServletRequest request) {
    String url =
        publicBaseUrl == null
            ? request.getRequestURL().toString()
            : publicBaseUrl.toString().replaceAll("/+$", "") + request.getRequestURI();
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new TokenRejectedException(dev.latchkey.verifier.RejectionReason.DPOP_PROOF_WRONG_URL);
    }
  }

  /**
   * The request without its {@code Authorization} header, so the later authentication filters
   * (Spring Security's bearer and DPoP filters) leave the authentication set here alone. (Handing
   * the token on as {@code Bearer} does not work: Spring Security 7 refuses a bound token sent as
   * {@code Bearer}, rightly.)
   */
  private static final class WithoutAuthorization extends HttpServletRequestWrapper {
    WithoutAuthorization(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getHeader(String name) {
      return BearerToken.HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return BearerToken.HEADER.equalsIgnoreCase(name)
          ? Collections.emptyEnumeration()
          : super.getHeaders(name);
    }
  }
}
