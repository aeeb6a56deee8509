package dev.latchkey.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Spring Security 7.1 ({@code spring-security-oauth2-jose}, the decoder behind Spring Boot's
 * resource server) verifying tokens of a real Latchkey auth server, found by OIDC discovery or by
 * its JWKS URL. The snippets here are the ones in docs/interop.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringSecurityInteropTest {
  @TempDir static Path dataDir;

  private static LatchkeyFixture latchkey;

  @BeforeAll
  static void startAuthServer() {
    latchkey = LatchkeyFixture.start(dataDir);
  }

  @AfterAll
  static void stopAuthServer() {
    if (latchkey != null) {
      latchkey.close();
    }
  }

  /**
   * What a Latchkey token needs on top of Spring's defaults: {@code typ: at+jwt} and the audience.
   */
  private static OAuth2TokenValidator<Jwt> latchkeyValidator(String issuer) {
    return JwtValidators.createDefaultWithValidators(
        List.of(
            new JwtIssuerValidator(issuer),
            new JwtTypeValidator("at+jwt"),
            new JwtAudienceValidator(LatchkeyFixture.AUDIENCE)));
  }

  /** Discovery ({@code /.well-known/openid-configuration}), as Boot's {@code issuer-uri} does. */
  private static NimbusJwtDecoder discoveryDecoder() {
    NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(latchkey.issuer());
    decoder.setJwtValidator(latchkeyValidator(latchkey.issuer()));
    return decoder;
  }

  /** The JWKS URL directly, RS256 only. */
  private static NimbusJwtDecoder jwkSetUriDecoder() {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withJwkSetUri(latchkey.server().jwksUrl())
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .build();
    decoder.setJwtValidator(latchkeyValidator(latchkey.issuer()));
    return decoder;
  }

  private static void assertLatchkeyToken(Jwt jwt) {
    assertThat(jwt.getSubject()).isEqualTo(latchkey.userId());
    assertThat(jwt.getIssuer().toString()).isEqualTo(latchkey.issuer());
    assertThat(jwt.getAudience()).containsExactly(LatchkeyFixture.AUDIENCE);
    assertThat(jwt.getHeaders()).containsEntry("typ", "at+jwt").containsEntry("alg", "RS256");
    assertThat(jwt.getId()).isNotBlank();
    assertThat(jwt.getClaimAsString("sid")).isNotBlank();
    assertThat(jwt.getIssuedAt()).isNotNull();
    assertThat(jwt.getExpiresAt()).isAfter(jwt.getIssuedAt());
  }

  @Test
  @Order(1)
  void discoveryDecoderAcceptsIssuedAndLoginTokens() throws Exception {
    NimbusJwtDecoder decoder = discoveryDecoder();

    assertLatchkeyToken(decoder.decode(latchkey.issuedToken()));
    assertLatchkeyToken(decoder.decode(latchkey.loginToken()));
  }

  @Test
  @Order(1)
  void jwkSetUriDecoderAcceptsIssuedAndLoginTokens() throws Exception {
    NimbusJwtDecoder decoder = jwkSetUriDecoder();

    assertLatchkeyToken(decoder.decode(latchkey.issuedToken()));
    assertLatchkeyToken(decoder.decode(latchkey.loginToken()));
  }

  @Test
  @Order(1)
  void bothDecodersRejectBadTokens() throws Exception {
    for (JwtDecoder decoder : List.of(discoveryDecoder(), jwkSetUriDecoder())) {
      assertRejected(decoder, latchkey.wrongAudienceToken(), "aud");
      assertRejected(decoder, latchkey.wrongIssuerToken(), "iss");
      assertRejected(decoder, latchkey.expiredToken(), "expired");
      assertRejected(decoder, latchkey.tamperedToken(), "Invalid signature");
      assertRejected(decoder, latchkey.foreignKeyToken(), "no matching key");
      assertRejected(decoder, latchkey.foreignKeyTokenWithServerKid(), "Invalid signature");
      assertRejected(decoder, latchkey.unsignedToken(), "none");
      assertRejected(decoder, "not-a-jwt", "Malformed");
    }
  }

  private static void assertRejected(JwtDecoder decoder, String token, String why) {
    assertThatThrownBy(() -> decoder.decode(token))
        .isInstanceOf(BadJwtException.class)
        .hasMessageContaining(why);
  }

  /**
   * The incompatibility: Spring Security 7's default validators include {@code
   * JwtTypeValidator.jwt()}, which accepts only {@code typ: JWT} or none, so a decoder left on its
   * defaults rejects every Latchkey token.
   */
  @Test
  @Order(1)
  void springDefaultsRejectTheAtJwtType() {
    String token = latchkey.issuedToken();
    NimbusJwtDecoder byDiscovery = JwtDecoders.fromIssuerLocation(latchkey.issuer());
    NimbusJwtDecoder byJwks = NimbusJwtDecoder.withJwkSetUri(latchkey.server().jwksUrl()).build();

    for (NimbusJwtDecoder decoder : List.of(byDiscovery, byJwks)) {
      assertThatThrownBy(() -> decoder.decode(token))
          .isInstanceOf(JwtValidationException.class)
          .hasMessageContaining("the given typ value needs to be one of [JWT]");
    }
  }

  /**
   * Spring Boot 4's {@code issuer-uri} decoder puts {@code JwtValidators.createDefaultWithIssuer}
   * and every {@code OAuth2TokenValidator<Jwt>} bean side by side in one delegating validator (all
   * must pass), so an extra {@code JwtTypeValidator("at+jwt")} bean does not lift the default
   * {@code JWT}-only check: a Boot application must declare its own {@code JwtDecoder} bean.
   */
  @Test
  @Order(1)
  void anExtraTypeValidatorBesideBootsDefaultsIsNotEnough() {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(latchkey.issuer()).build();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            List.of(
                JwtValidators.createDefaultWithIssuer(latchkey.issuer()),
                new JwtAudienceValidator(LatchkeyFixture.AUDIENCE),
                new JwtTypeValidator("at+jwt"))));

    assertThatThrownBy(() -> decoder.decode(latchkey.issuedToken()))
        .isInstanceOf(JwtValidationException.class)
        .hasMessageContaining("typ");
  }

  /**
   * The Spring Security 5/6 recipe (a Nimbus type verifier for {@code at+jwt} through {@code
   * jwtProcessorCustomizer}) is no longer enough in 7: the {@code typ} check moved to {@code
   * JwtTypeValidator}, which still wants {@code JWT}.
   */
  @Test
  @Order(1)
  void theOldNimbusTypeVerifierRecipeIsNotEnoughInSpringSecurity7() {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withJwkSetUri(latchkey.server().jwksUrl())
            .jwtProcessorCustomizer(
                processor ->
                    processor.setJWSTypeVerifier(
                        new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"))))
            .build();

    assertThatThrownBy(() -> decoder.decode(latchkey.issuedToken()))
        .isInstanceOf(JwtValidationException.class)
        .hasMessageContaining("typ");
  }

  @Test
  @Order(1)
  void aTokenWithoutTypIsRejectedByTheLatchkeyValidator() {
    Jwt untyped =
        Jwt.withTokenValue("t")
            .header("alg", "RS256")
            .issuer(latchkey.issuer())
            .audience(List.of(LatchkeyFixture.AUDIENCE))
            .subject(latchkey.userId())
            .build();

    assertThat(latchkeyValidator(latchkey.issuer()).validate(untyped).hasErrors()).isTrue();
  }

  /**
   * After a rotation a decoder built before it fetches the JWK Set again for the new {@code kid};
   * tokens of the old key still pass while it is published as retired.
   */
  @Test
  @Order(2)
  void decodersFollowKeyRotation() throws Exception {
    NimbusJwtDecoder byDiscovery = discoveryDecoder();
    NimbusJwtDecoder byJwks = jwkSetUriDecoder();
    String oldToken = latchkey.issuedToken();
    byDiscovery.decode(oldToken);
    byJwks.decode(oldToken);

    String newKid = latchkey.rotate();
    String newToken = latchkey.issuedToken();

    assertThat(LatchkeyFixture.kidOf(newToken))
        .isEqualTo(newKid)
        .isNotEqualTo(LatchkeyFixture.kidOf(oldToken));
    for (NimbusJwtDecoder decoder : List.of(byDiscovery, byJwks)) {
      assertLatchkeyToken(decoder.decode(newToken));
      assertLatchkeyToken(decoder.decode(oldToken));
    }
  }
}
