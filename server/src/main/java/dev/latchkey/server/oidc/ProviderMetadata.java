package dev.latchkey.server.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import dev.latchkey.verifier.dpop.DpopProofChecker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this OpenID provider supports, as discovery lists it: exactly the endpoints, flows and
 * methods implemented (the authorization code flow with PKCE {@code S256}, public and secret-based
 * clients, RP-initiated logout), nothing aspirational.
 */
public final class ProviderMetadata {
  public static final String AUTHORIZE_PATH = "/authorize";
  public static final String TOKEN_PATH = "/token";
  public static final String USERINFO_PATH = "/userinfo";
  public static final String LOGOUT_PATH = "/logout";

  /** Client authentication at the token endpoint. */
  public static final List<String> CLIENT_AUTH_METHODS =
      List.of("client_secret_basic", "client_secret_post", "none");

  /** The claims of ID tokens and {@code /userinfo}. */
  public static final List<String> CLAIMS =
      List.of("auth_time", "amr", "nonce", "azp", "at_hash", "email", "email_verified");

  private ProviderMetadata() {}

  /** Discovery's entries when the provider is off (no hosted login page to sign in on). */
  public static Map<String, Object> off() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("response_types_supported", List.of("id_token"));
    doc.put("token_endpoint_auth_methods_supported", List.of("none"));
    return doc;
  }

  /**
   * The provider's entries of the discovery document (beside the issuer, keys and algorithms).
   *
   * @param baseUrl where the endpoints are, as browsers and clients reach them
   * @param refreshTokens whether {@code offline_access} gets a refresh token
   */
  public static Map<String, Object> of(String baseUrl, boolean refreshTokens) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("authorization_endpoint", baseUrl + AUTHORIZE_PATH);
    doc.put("token_endpoint", baseUrl + TOKEN_PATH);
    doc.put("userinfo_endpoint", baseUrl + USERINFO_PATH);
    doc.put("end_session_endpoint", baseUrl + LOGOUT_PATH);
    doc.put("response_types_supported", List.of("code"));
    doc.put("response_modes_supported", List.of("query"));
    List<String> grants = new ArrayList<>(List.of("authorization_code"));
    if (refreshTokens) {
      grants.add("refresh_token");
    }
    doc.put("grant_types_supported", grants);
    doc.put("code_challenge_methods_supported", List.of("S256"));
    doc.put("token_endpoint_auth_methods_supported", CLIENT_AUTH_METHODS);
    List<String> scopes = new ArrayList<>(Scopes.SUPPORTED);
    if (!refreshTokens) {
      scopes.remove(Scopes.OFFLINE_ACCESS);
    }
    doc.put("scopes_supported", scopes);
    doc.put("prompt_values_supported", List.of("none", "login"));
    doc.put("authorization_response_iss_parameter_supported", true);
    doc.put("claims_parameter_supported", false);
    doc.put("request_parameter_supported", false);
    doc.put("request_uri_parameter_supported", false);
    doc.put("claims_supported", CLAIMS);
    // RFC 9449 §5.1: the token endpoint binds tokens to the key of a DPoP proof
    doc.put(
        "dpop_signing_alg_values_supported",
        DpopProofChecker.DEFAULT_ALGORITHMS.stream().map(JWSAlgorithm::getName).toList());
    return doc;
  }
}
