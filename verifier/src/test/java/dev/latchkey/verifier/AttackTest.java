package dev.latchkey.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.testing.Keys;
import dev.latchkey.verifier.testing.Reasons;
import dev.latchkey.verifier.testing.Tokens;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per attack class of the issue; each must be refused with the right reason. */
class AttackTest {
  private final MutableClock clock = MutableClock.standard();
  private final RSAKey key = Keys.rsa("k1");
  private final RSAKey attacker = Keys.rsa("attacker");
  private final JwtVerifier verifier =
      JwtVerifier.withJwkSet(new JWKSet(key.toPublicJWK()))
          .issuer(Tokens.ISSUER)
          .audience(Tokens.AUDIENCE)
          .clock(clock)
          .build();

  @AfterEach
  void close() {
    verifier.close();
  }

  private RejectionReason reasonOf(String token) {
    return Reasons.reasonOf(verifier, token);
  }

  private String valid() {
    return Tokens.rs256(key, clock);
  }

  private String claimsJson() {
    return Tokens.claims(clock).build().toString();
  }

  @Test
  void theBaselineTokenVerifies() {
    assertThat(reasonOf(valid())).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "nOnE", "NoNe", "nONE"})
  void algNoneInEveryLetterCase(String alg) {
    String header = "{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}";
    String unsigned = Tokens.b64(header) + "." + Tokens.b64(claimsJson()) + ".";

    assertThat(reasonOf(unsigned)).isEqualTo(RejectionReason.DISALLOWED_ALGORITHM);
    // with a signature part copied from a real token, too
    String sig = valid().split("\\.")[2];
    assertThat(reasonOf(unsigned + sig)).isEqualTo(RejectionReason.DISALLOWED_ALGORITHM);
  }

  @Test
  void hmacKeyedWithTheRsaPublicKeyInPemJwkAndRawForms() throws Exception {
    byte[] der = key.toRSAPublicKey().getEncoded();
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der)
            + "\n-----END PUBLIC KEY-----\n";
    List<byte[]> forms =
        List.of(
            pem.getBytes(StandardCharsets.US_ASCII),
            key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
            new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8),
            der,
            key.toRSAPublicKey().getModulus().toByteArray());
    for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
      for (byte[] secret : forms) {
        JWSHeader h = Tokens.header(alg, "k1").build();
        String token = Tokens.signRaw(h.toString(), claimsJson(), new MACSigner(secret), h);
        assertThat(reasonOf(token)).as("%s", alg).isEqualTo(RejectionReason.DISALLOWED_ALGORITHM);
      }
    }
  }

  @Test
  void hmacCannotEvenBeConfiguredWithAPublicKeySource() {
    var b =
        JwtVerifier.withJwkSet(new JWKSet(key.toPublicJWK()))
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .algorithms(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.HS256));
    org.assertj.core.api.Assertions.assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void embeddedJwkHeaderIsIgnored() {
    JWSHeader h = Tokens.header(JWSAlgorithm.RS256, "k1").jwk(attacker.toPublicJWK()).build();
    String withOurKid = Tokens.sign(attacker, h, Tokens.claims(clock).build());
    JWSHeader h2 =
        Tokens.header(JWSAlgorithm.RS256, "attacker").jwk(attacker.toPublicJWK()).build();
    String withItsKid = Tokens.sign(attacker, h2, Tokens.claims(clock).build());

    assertThat(reasonOf(withOurKid)).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(reasonOf(withItsKid)).isEqualTo(RejectionReason.UNKNOWN_KEY);
  }

  @Test
  void jkuAndX5uAreNeverFetched() throws Exception {
    HttpServer evil =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger hits = new AtomicInteger();
    evil.createContext(
        "/",
        ex -> {
          hits.incrementAndGet();
          byte[] b = new JWKSet(attacker.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    evil.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + evil.getAddress().getPort() + "/jwks.json");
      for (String kid : new String[] {"attacker", "k1"}) {
        String jku =
            Tokens.sign(
                attacker,
                Tokens.header(JWSAlgorithm.RS256, kid).jwkURL(url).build(),
                Tokens.claims(clock).build());
        String x5u =
            Tokens.sign(
                attacker,
                Tokens.header(JWSAlgorithm.RS256, kid).x509CertURL(url).build(),
                Tokens.claims(clock).build());
        assertThat(reasonOf(jku)).isIn(RejectionReason.UNKNOWN_KEY, RejectionReason.BAD_SIGNATURE);
        assertThat(reasonOf(x5u)).isIn(RejectionReason.UNKNOWN_KEY, RejectionReason.BAD_SIGNATURE);
      }
      assertThat(hits.get()).isZero();
    } finally {
      evil.stop(0);
    }
  }

  @Test
  void x5cWithAForeignCertificateIsIgnored() throws Exception {
    X509Certificate cert = selfSigned(attacker);
    JWSHeader h =
        Tokens.header(JWSAlgorithm.RS256, "k1")
            .x509CertChain(List.of(Base64.encode(cert.getEncoded())))
            .build();
    String token = Tokens.sign(attacker, h, Tokens.claims(clock).build());
    JWSHeader noKid =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .type(new JOSEObjectType("at+jwt"))
            .x509CertChain(List.of(Base64.encode(cert.getEncoded())))
            .build();
    String tokenNoKid = Tokens.sign(attacker, noKid, Tokens.claims(clock).build());

    assertThat(reasonOf(token)).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(reasonOf(tokenNoKid)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  private static X509Certificate selfSigned(RSAKey k) throws Exception {
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=attacker"),
            BigInteger.ONE,
            Date.from(now.minusSeconds(60)),
            Date.from(now.plusSeconds(3600)),
            new X500Name("CN=attacker"),
            k.toRSAPublicKey());
    var signer = new JcaContentSignerBuilder("SHA256withRSA").build(k.toRSAPrivateKey());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../../../etc/passwd",
        "/dev/null",
        "..\\..\\windows\\win.ini",
        "' OR '1'='1",
        "k1'; DROP TABLE signing_keys; --",
        "k1\u0000",
        "\r\nINFO forged log line"
      })
  void hostileKidIsJustAnUnknownKey(String kid) {
    String signedByAttacker =
        Tokens.sign(
            attacker, Tokens.header(JWSAlgorithm.RS256, kid).build(), Tokens.claims(clock).build());
    String signedByUs =
        Tokens.sign(
            key, Tokens.header(JWSAlgorithm.RS256, kid).build(), Tokens.claims(clock).build());

    assertThat(reasonOf(signedByAttacker)).isEqualTo(RejectionReason.UNKNOWN_KEY);
    assertThat(reasonOf(signedByUs)).isEqualTo(RejectionReason.UNKNOWN_KEY);
  }

  @Test
  void es256PsychicSignatureIsRefused() {
    ECKey ec = Keys.ec("e1");
    JwtVerifier es =
        JwtVerifier.withJwkSet(new JWKSet(ec.toPublicJWK()))
            .algorithms(Set.of(JWSAlgorithm.ES256))
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .clock(clock)
            .build();
    String good =
        Tokens.sign(
            ec, Tokens.header(JWSAlgorithm.ES256, "e1").build(), Tokens.claims(clock).build());
    assertThat(Reasons.reasonOf(es, good)).isNull();
    String input = good.substring(0, good.lastIndexOf('.'));

    String zeros = input + "." + Base64URL.encode(new byte[64]); // r = s = 0 (JOSE form)
    byte[] der = {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00}; // r = s = 0 (DER form)
    String derZeros = input + "." + Base64URL.encode(der);

    assertThat(Reasons.reasonOf(es, zeros)).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(Reasons.reasonOf(es, derZeros)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void signatureStrippedFlippedOrBorrowed() {
    String token = valid();
    String input = token.substring(0, token.lastIndexOf('.'));
    String sig = token.substring(token.lastIndexOf('.') + 1);
    byte[] raw = new Base64URL(sig).decode();
    raw[raw.length / 2] ^= 0x01;
    String other = Tokens.rs256(key, clock, c -> c.subject("someone-else"));
    String otherSig = other.substring(other.lastIndexOf('.') + 1);

    assertThat(reasonOf(input + ".")).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(reasonOf(input + "." + Base64URL.encode(raw)))
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(reasonOf(input + "." + otherSig)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void payloadChangedUnderAValidSignature() {
    String token = valid();
    String[] p = token.split("\\.");
    JWTClaimsSet admin = Tokens.claims(clock).subject("admin").claim("role", "admin").build();

    assertThat(reasonOf(p[0] + "." + Tokens.b64(admin.toString()) + "." + p[2]))
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void expiredBeyondTheSkewButNotWithin() {
    String token = Tokens.rs256(key, clock, c -> c.expirationTime(Date.from(clock.instant())));

    clock.advance(Duration.ofSeconds(59));
    assertThat(reasonOf(token)).isNull();
    clock.advance(Duration.ofSeconds(2));
    assertThat(reasonOf(token)).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void notBeforeOrIssuedInTheFuture() {
    Date future = Date.from(clock.instant().plus(Duration.ofMinutes(5)));
    Date nearFuture = Date.from(clock.instant().plus(Duration.ofSeconds(30)));

    assertThat(reasonOf(Tokens.rs256(key, clock, c -> c.notBeforeTime(future))))
        .isEqualTo(RejectionReason.NOT_YET_VALID);
    assertThat(reasonOf(Tokens.rs256(key, clock, c -> c.issueTime(future))))
        .isEqualTo(RejectionReason.NOT_YET_VALID);
    assertThat(reasonOf(Tokens.rs256(key, clock, c -> c.notBeforeTime(nearFuture)))).isNull();
  }

  @Test
  void wrongIssuerAudienceOrType() {
    assertThat(reasonOf(Tokens.rs256(key, clock, c -> c.issuer("http://localhost:9001"))))
        .isEqualTo(RejectionReason.WRONG_ISSUER);
    assertThat(reasonOf(Tokens.rs256(key, clock, c -> c.issuer("HTTP://LOCALHOST:9000"))))
        .isEqualTo(RejectionReason.WRONG_ISSUER);
    assertThat(reasonOf(Tokens.rs256(key, clock, c -> c.audience("another-app"))))
        .isEqualTo(RejectionReason.WRONG_AUDIENCE);
    assertThat(
            reasonOf(
                Tokens.rs256(key, clock, c -> c.audience(List.of("another-app", Tokens.AUDIENCE)))))
        .isNull();
    for (JOSEObjectType typ :
        new JOSEObjectType[] {JOSEObjectType.JWT, new JOSEObjectType("id+jwt"), null}) {
      JWSHeader h = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(typ).build();
      assertThat(reasonOf(Tokens.sign(key, h, Tokens.claims(clock).build())))
          .as("typ %s", typ)
          .isEqualTo(RejectionReason.WRONG_TYPE);
    }
    JWSHeader mediaType =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID("k1")
            .type(new JOSEObjectType("application/AT+JWT"))
            .build();
    assertThat(reasonOf(Tokens.sign(key, mediaType, Tokens.claims(clock).build()))).isNull();
  }

  @Test
  void missingExpOrSub() {
    assertThat(reasonOf(Tokens.rs256(key, clock, c -> c.expirationTime(null))))
        .isEqualTo(RejectionReason.MISSING_CLAIM);
    assertThat(reasonOf(Tokens.rs256(key, clock, c -> c.subject(null))))
        .isEqualTo(RejectionReason.MISSING_CLAIM);
  }

  @Test
  void unknownCritHeader() {
    JWSHeader h =
        Tokens.header(JWSAlgorithm.RS256, "k1")
            .criticalParams(Set.of("latchkey-unknown"))
            .customParam("latchkey-unknown", true)
            .build();

    assertThat(reasonOf(Tokens.sign(key, h, Tokens.claims(clock).build())))
        .isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void wrongNumberOfParts() {
    String[] p = valid().split("\\.");

    assertThat(reasonOf(p[0])).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(p[0] + "." + p[1])).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(p[0] + "." + p[1] + "." + p[2] + "." + p[2]))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(p[0] + "." + p[1] + "." + p[2] + "." + p[2] + "." + p[2]))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf("..")).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf("")).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(null)).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void badBase64() {
    String[] p = valid().split("\\.");

    assertThat(reasonOf(p[0] + "!." + p[1] + "." + p[2])).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(p[0] + "." + p[1] + "=." + p[2])).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf("a." + p[1] + "." + p[2])).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(p[0] + ".é." + p[2])).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void aSignedTokenWithANonStringSubIssOrJtiIsRefused() throws Exception {
    JWSHeader h = Tokens.header(JWSAlgorithm.RS256, "k1").build();
    RSASSASigner signer = new RSASSASigner(key);
    Map<String, Object> good = Tokens.claims(clock).build().toJSONObject();
    for (Map.Entry<String, Object> wrong :
        List.<Map.Entry<String, Object>>of(
            Map.entry("sub", 42), Map.entry("iss", List.of(Tokens.ISSUER)), Map.entry("jti", 7))) {
      Map<String, Object> claims = new java.util.HashMap<>(good);
      claims.put(wrong.getKey(), wrong.getValue());
      String token = Tokens.signRaw(h.toString(), JSONObjectUtils.toJSONString(claims), signer, h);

      assertThat(reasonOf(token)).as(wrong.getKey()).isEqualTo(RejectionReason.MALFORMED);
    }
    String fine = Tokens.signRaw(h.toString(), JSONObjectUtils.toJSONString(good), signer, h);
    assertThat(reasonOf(fine)).isNull();
  }

  @Test
  void nonJsonAndDeeplyNestedJson() throws Exception {
    JWSHeader h = Tokens.header(JWSAlgorithm.RS256, "k1").build();
    RSASSASigner signer = new RSASSASigner(key);
    String deep = "{\"sub\":\"x\",\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
    String deepHeader =
        "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"at+jwt\",\"x\":"
            + "{\"a\":".repeat(500)
            + "1"
            + "}".repeat(501);

    assertThat(reasonOf(Tokens.signRaw(h.toString(), "not json", signer, h)))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(Tokens.signRaw(h.toString(), "[1,2,3]", signer, h)))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(Tokens.signRaw("not json", claimsJson(), signer, h)))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(Tokens.signRaw(h.toString(), deep, signer, h)))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(Tokens.signRaw(deepHeader, claimsJson(), signer, h)))
        .isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void oneMegabyteToken() {
    String big = valid() + "A".repeat(1024 * 1024);
    String bigPayload = Tokens.rs256(key, clock, c -> c.claim("pad", "x".repeat(1024 * 1024)));

    assertThat(reasonOf(big)).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(bigPayload)).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void rejectionsAreCountedByReason() {
    reasonOf(valid());
    reasonOf("x");
    reasonOf(Tokens.rs256(key, clock, c -> c.audience("nope")));

    VerifierMetrics m = verifier.metrics();
    assertThat(m.accepted()).isEqualTo(1);
    assertThat(m.rejected(RejectionReason.MALFORMED)).isEqualTo(1);
    assertThat(m.rejected(RejectionReason.WRONG_AUDIENCE)).isEqualTo(1);
    assertThat(m.rejectedTotal()).isEqualTo(2);
    assertThat(m.rejected())
        .containsOnlyKeys(
            java.util.Arrays.stream(RejectionReason.values())
                .map(RejectionReason::code)
                .toArray(String[]::new));
  }
}
