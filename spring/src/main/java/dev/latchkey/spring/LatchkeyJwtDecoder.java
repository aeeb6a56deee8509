package dev.latchkey.spring;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.VerifiedToken;
import java.util.Map;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Spring Security's {@link JwtDecoder} backed by the Latchkey {@link JwtVerifier}, so its checks,
 * verified-token cache, key outage tolerance and revocation feed decide. Every refusal is a {@link
 * BadJwtException} whose cause is the verifier's {@link TokenRejectedException}: {@link
 * LatchkeyRefusals} answers it with the reason's status (401, or 503 for {@code keys_unavailable}).
 * A token sent as {@code Bearer} is verified as such (a DPoP-bound one is refused); one sent as
 * {@code DPoP} was verified with its proof by {@link DpopFilter} and is taken as it left it.
 */
public final class LatchkeyJwtDecoder implements JwtDecoder {
  private final JwtVerifier verifier;

  public LatchkeyJwtDecoder(JwtVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public Jwt decode(String token) {
    VerifiedToken t;
    try {
      VerifiedToken withProof = verifiedWithProof(token);
      t = withProof != null ? withProof : verifier.verify(token);
    } catch (TokenRejectedException e) {
      throw new BadJwtException(e.code(), e);
    }
    Map<String, Object> claims = t.claims();
    return Jwt.withTokenValue(token)
        .header("alg", t.algorithm())
        .headers(h -> putIfPresent(h, "kid", t.keyId()))
        .claims(c -> c.putAll(claims))
        .audience(t.audience())
        .expiresAt(t.expiresAt())
        .claims(c -> putIfPresent(c, "iat", t.issuedAt()))
        .claims(c -> putIfPresent(c, "nbf", t.notBefore()))
        .build();
  }

  /**
   * The token {@link DpopFilter} verified with its proof in this request, or null. Read from the
   * current request (as Spring Security's own DPoP support does): a decoder sees only the token.
   */
  private static VerifiedToken verifiedWithProof(String token) {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
        && a.getRequest().getAttribute(DpopFilter.VERIFIED) instanceof DpopFilter.Verified v
        && v.token().equals(token)) {
      return v.verified();
    }
    return null;
  }

  private static void putIfPresent(Map<String, Object> map, String name, Object value) {
    if (value != null) {
      map.put(name, value);
    }
  }
}
