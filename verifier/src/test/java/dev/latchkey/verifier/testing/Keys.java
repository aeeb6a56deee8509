package dev.latchkey.verifier.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.concurrent.ConcurrentHashMap;

/** Test keys, generated once per JVM (RSA generation is slow). */
public final class Keys {
  private static final ConcurrentHashMap<String, RSAKey> RSA = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, ECKey> EC = new ConcurrentHashMap<>();

  private Keys() {}

  public static RSAKey rsa(String kid) {
    return RSA.computeIfAbsent(
        kid,
        k -> {
          try {
            return new RSAKeyGenerator(2048)
                .keyID(k)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .generate();
          } catch (JOSEException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  public static ECKey ec(String kid) {
    return EC.computeIfAbsent(
        kid,
        k -> {
          try {
            return new ECKeyGenerator(Curve.P_256)
                .keyID(k)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .generate();
          } catch (JOSEException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
