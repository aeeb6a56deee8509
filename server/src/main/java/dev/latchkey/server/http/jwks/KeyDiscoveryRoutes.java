package dev.latchkey.server.http.jwks;

import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.keys.SigningKeyInfo;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.verifier.wire.Roles;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public documents verifiers fetch, both cacheable for the JWKS max-age: {@code GET
 * /.well-known/jwks.json} (the published keys) and {@code GET /.well-known/openid-configuration}
 * (the issuer, where its keys are and with which algorithms they sign, and what the OpenID provider
 * supports).
 */
public final class KeyDiscoveryRoutes {
  /** Where the JWK Set is served, below the base URL. */
  public static final String JWKS_PATH = "/.well-known/jwks.json";

  private final SigningKeys keys;
  private final String issuer;
  private final String jwksUri;
  private final String configuredAlgorithm;
  private final Duration maxAge;
  private final Map<String, Object> provider;

  /**
   * @param configuredAlgorithm the algorithm new keys are made for, listed even before its first
   *     key is published
   * @param provider the OpenID provider's entries (endpoints, flows, methods), listed as given
   */
  public KeyDiscoveryRoutes(
      SigningKeys keys,
      String issuer,
      String baseUrl,
      String configuredAlgorithm,
      Duration maxAge,
      Map<String, Object> provider) {
    this.provider = new LinkedHashMap<>(provider);
    this.keys = keys;
    this.issuer = issuer;
    this.jwksUri = baseUrl + JWKS_PATH;
    this.configuredAlgorithm = configuredAlgorithm;
    this.maxAge = maxAge;
  }

  public void jwks(Context ctx) {
    String json = keys.publicJwkSet().toString(true);
    Caching.publicFor(ctx, maxAge);
    Json.writeRaw(ctx, 200, json);
  }

  public void discovery(Context ctx) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer);
    doc.put("jwks_uri", jwksUri);
    doc.put("id_token_signing_alg_values_supported", signingAlgorithms());
    doc.put("subject_types_supported", List.of("public"));
    doc.putAll(provider);
    List<String> claims =
        new ArrayList<>(List.of("iss", "sub", "aud", "iat", "exp", "jti", "sid", Roles.CLAIM));
    Object providerClaims = provider.get("claims_supported");
    if (providerClaims instanceof List<?> more) {
      more.forEach(c -> claims.add(c.toString()));
    }
    doc.put("claims_supported", claims);
    Caching.publicFor(ctx, maxAge);
    Json.write(ctx, 200, doc);
  }

  private List<String> signingAlgorithms() {
    Set<String> algs = new LinkedHashSet<>();
    algs.add(configuredAlgorithm);
    for (SigningKeyInfo key : keys.published()) {
      algs.add(key.algorithm());
    }
    return List.copyOf(algs);
  }
}
