package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads public keys from PEM: {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo, RSA or EC) and {@code
 * CERTIFICATE} blocks. Private keys are refused: they never belong on a verifier.
 */
public final class PemKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PemKeys() {}

  public static JWKSet read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static JWKSet parse(String pem) {
    if (pem.contains("PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          "PEM holds a private key; give the verifier the public key");
    }
    Matcher m = BLOCK.matcher(pem);
    List<JWK> keys = new ArrayList<>();
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      try {
        switch (m.group(1)) {
          case "PUBLIC KEY" -> keys.add(toJwk(publicKey(der)));
          case "CERTIFICATE" -> {
            X509Certificate cert =
                (X509Certificate)
                    CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
            keys.add(toJwk(cert.getPublicKey()));
          }
          default -> throw new IllegalArgumentException("unsupported PEM block " + m.group(1));
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "unreadable PEM " + m.group(1) + ": " + e.getMessage(), e);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no PUBLIC KEY or CERTIFICATE block in PEM");
    }
    return new JWKSet(keys);
  }

  private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String alg : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  private static JWK toJwk(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    if (key instanceof ECPublicKey ec) {
      return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
    }
    throw new IllegalArgumentException("unsupported public key type " + key.getAlgorithm());
  }
}
