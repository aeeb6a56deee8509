package dev.latchkey.bench.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;

/**
 * Fresh DPoP proofs (RFC 9449 §4.2) for one method, URL and access token, signed ES256 with the
 * client's key: every proof its own random {@code jti} and the current second as {@code iat}, made
 * at the moment it is sent. One per thread ({@link Signature} is not thread-safe).
 */
final class ProofMaker {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Signature signer;
  private final SecureRandom random = new SecureRandom();
  private final String header;
  private final String claimsTail;

  ProofMaker(ECKey key, String method, String url, String accessToken) {
    try {
      signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(key.toECPrivateKey());
      header =
          b64(
              "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":"
                  + key.toPublicJWK().toJSONString()
                  + "}");
      String ath =
          B64.encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
      claimsTail = "\",\"htm\":\"" + method + "\",\"htu\":\"" + url + "\",\"ath\":\"" + ath + "\",";
    } catch (GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException("cannot make proofs", e);
    }
  }

  String next() {
    byte[] jti = new byte[16];
    random.nextBytes(jti);
    long iat = System.currentTimeMillis() / 1000;
    String signingInput =
        header
            + "."
            + b64("{\"jti\":\"" + B64.encodeToString(jti) + claimsTail + "\"iat\":" + iat + "}");
    try {
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a proof", e);
    }
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
