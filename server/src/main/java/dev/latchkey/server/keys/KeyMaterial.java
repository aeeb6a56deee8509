package dev.latchkey.server.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Creates key pairs and turns stored private keys back into signers. */
final class KeyMaterial {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration CERT_VALIDITY = Duration.ofDays(3650);

  private KeyMaterial() {}

  /** A new key pair: its public JWK (with kid, x5c, x5t#S256) and its PKCS#8 private key. */
  record Generated(String kid, String algorithm, JWK publicJwk, byte[] pkcs8) {}

  static Generated generate(String algorithm, Instant now) {
    try {
      boolean ec = algorithm.equals("ES256");
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ec ? "EC" : "RSA");
      if (ec) {
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      } else {
        generator.initialize(2048, RANDOM);
      }
      KeyPair pair = generator.generateKeyPair();
      X509Certificate cert = selfSignedCertificate(pair, ec, now);
      byte[] der = cert.getEncoded();
      List<Base64> chain = List.of(Base64.encode(der));
      Base64URL x5tS256 = Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(der));
      JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
      JWK jwk;
      if (ec) {
        ECKey bare = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build();
        jwk =
            new ECKey.Builder(bare)
                .keyID(bare.computeThumbprint().toString())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(alg)
                .x509CertChain(chain)
                .x509CertSHA256Thumbprint(x5tS256)
                .build();
      } else {
        RSAKey bare = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).build();
        jwk =
            new RSAKey.Builder(bare)
                .keyID(bare.computeThumbprint().toString())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(alg)
                .x509CertChain(chain)
                .x509CertSHA256Thumbprint(x5tS256)
                .build();
      }
      return new Generated(jwk.getKeyID(), algorithm, jwk, pair.getPrivate().getEncoded());
    } catch (GeneralSecurityException | JOSEException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
    }
  }

  private static X509Certificate selfSignedCertificate(KeyPair pair, boolean ec, Instant now)
      throws GeneralSecurityException, OperatorCreationException {
    X500Name name = new X500Name("CN=Latchkey token signing key");
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(CERT_VALIDITY)),
            name,
            pair.getPublic());
    var signer =
        new JcaContentSignerBuilder(ec ? "SHA256withECDSA" : "SHA256withRSA")
            .build(pair.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  /** A Nimbus signer for a stored PKCS#8 private key. */
  static JWSSigner signer(String algorithm, byte[] pkcs8) {
    try {
      boolean ec = algorithm.equals("ES256");
      PrivateKey key =
          KeyFactory.getInstance(ec ? "EC" : "RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      return ec ? new ECDSASigner((ECPrivateKey) key) : new RSASSASigner(key);
    } catch (GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException("cannot load a stored " + algorithm + " private key", e);
    }
  }
}
