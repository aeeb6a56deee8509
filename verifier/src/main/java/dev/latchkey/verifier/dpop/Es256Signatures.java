package dev.latchkey.verifier.dpop;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ES256 signatures of DPoP proofs, verified with Bouncy Castle's P-256 arithmetic, each key kept
 * with its precomputed multiples for its next proof: a browser signs every request with the same
 * key, and a known key verifies in about a sixth of the JCA's time on JDK 17 (see
 * docs/performance.md). A key is cached under its RFC 7638 thumbprint (a SHA-256 of its
 * coordinates), so a cached entry is the key it names.
 *
 * <p>What the JCA's verifier refuses, this refuses: a point not on the curve (checked when the key
 * is first taken), a signature that is not 64 bytes, {@code r} or {@code s} outside {@code [1,
 * n-1]} (which also refuses the all-zero signature of CVE-2022-21449).
 */
final class Es256Signatures {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
  private static final int SIGNATURE_LENGTH = 64;

  private final Cache<String, ECPublicKeyParameters> keys;

  Es256Signatures(int maxKeys) {
    this.keys = Caffeine.newBuilder().maximumSize(maxKeys).build();
  }

  /**
   * Whether {@code signature} (JWS form: {@code r || s}, 32 bytes each) is {@code key}'s ES256
   * signature of {@code signingInput}.
   *
   * @param thumbprint the key's RFC 7638 SHA-256 thumbprint
   * @throws IllegalArgumentException when the key is not a P-256 point
   */
  boolean verify(String thumbprint, ECKey key, byte[] signingInput, byte[] signature) {
    if (!Curve.P_256.equals(key.getCurve())) {
      throw new IllegalArgumentException("an ES256 key is on P-256");
    }
    ECPublicKeyParameters publicKey = keys.get(thumbprint, unused -> publicKeyOf(key));
    if (signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, SIGNATURE_LENGTH / 2));
    BigInteger s =
        new BigInteger(1, Arrays.copyOfRange(signature, SIGNATURE_LENGTH / 2, SIGNATURE_LENGTH));
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, publicKey);
    return verifier.verifySignature(sha256(signingInput), r, s);
  }

  /** How many keys are held now (tests). */
  long size() {
    keys.cleanUp();
    return keys.estimatedSize();
  }

  /** The key as a point; Bouncy Castle refuses one that is not on the curve. */
  private static ECPublicKeyParameters publicKeyOf(ECKey key) {
    BigInteger x = key.getX().decodeToBigInteger();
    BigInteger y = key.getY().decodeToBigInteger();
    return new ECPublicKeyParameters(P256.getCurve().createPoint(x, y), DOMAIN);
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
