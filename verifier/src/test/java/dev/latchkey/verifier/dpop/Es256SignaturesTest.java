package dev.latchkey.verifier.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast ES256 check agrees with the JCA's on every signature it is shown: right ones, flipped
 * bits, out-of-range and zero {@code r}/{@code s}, the other {@code s} of the pair, wrong lengths.
 */
class Es256SignaturesTest {
  private static final BigInteger N =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private final Es256Signatures signatures = new Es256Signatures(100);
  private final Random random = new Random(7);

  @Test
  void agreesWithTheJcaOnRightAndAlteredSignatures() throws Exception {
    for (int k = 0; k < 8; k++) {
      ECKey key = new ECKeyGenerator(Curve.P_256).generate();
      for (int m = 0; m < 8; m++) {
        byte[] message = ("proof " + k + "." + m).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = sign(key, message);
        assertAgree(key, message, signature, true);

        byte[] flipped = signature.clone();
        flipped[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        assertAgree(key, message, flipped, false);

        byte[] otherMessage = message.clone();
        otherMessage[0] ^= 1;
        assertAgree(key, otherMessage, signature, false);

        // (r, n - s) is the pair's other valid signature: ECDSA accepts both, and so do both
        byte[] otherS = join(part(signature, 0), N.subtract(part(signature, 1)));
        assertAgree(key, message, otherS, true);
      }
    }
    assertThat(signatures.size())
        .as("one entry per key, reused by its next signatures")
        .isEqualTo(8);
  }

  @Test
  void refusesOutOfRangeZeroAndWronglySizedSignatures() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    byte[] message = "proof".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = sign(key, message);
    BigInteger r = part(signature, 0);
    BigInteger s = part(signature, 1);

    List<byte[]> wrong =
        new ArrayList<>(
            List.of(
                new byte[64], // CVE-2022-21449: r = s = 0
                join(BigInteger.ZERO, s),
                join(r, BigInteger.ZERO),
                join(N, s),
                join(r, N),
                Arrays.copyOf(signature, 63),
                Arrays.copyOf(signature, 65),
                new byte[0]));
    // r + n and s + n, where they fit in 32 bytes: the same values modulo n, out of range
    if (r.add(N).bitLength() <= 256) {
      wrong.add(join(r.add(N), s));
    }
    if (s.add(N).bitLength() <= 256) {
      wrong.add(join(r, s.add(N)));
    }
    for (byte[] signatureBytes : wrong) {
      assertAgree(key, message, signatureBytes, false);
    }
  }

  @Test
  void aKeyOffP256IsNotAnEs256Key() throws Exception {
    ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
    assertThatThrownBy(
            () ->
                signatures.verify(
                    p384.computeThumbprint().toString(), p384, new byte[] {1}, new byte[64]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void assertAgree(ECKey key, byte[] message, byte[] signature, boolean expected)
      throws Exception {
    assertThat(jcaVerifies(key, message, signature))
        .as("the JCA on %s", Arrays.toString(signature))
        .isEqualTo(expected);
    assertThat(signatures.verify(key.computeThumbprint().toString(), key, message, signature))
        .as("Es256Signatures on %s", Arrays.toString(signature))
        .isEqualTo(expected);
  }

  private static byte[] sign(ECKey key, byte[] message) throws Exception {
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(key.toECPrivateKey());
    signer.update(message);
    return signer.sign();
  }

  private static boolean jcaVerifies(ECKey key, byte[] message, byte[] signature) throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(key.toECPublicKey());
    verifier.update(message);
    try {
      return verifier.verify(signature);
    } catch (java.security.SignatureException e) {
      return false;
    }
  }

  private static BigInteger part(byte[] signature, int index) {
    return new BigInteger(1, Arrays.copyOfRange(signature, index * 32, index * 32 + 32));
  }

  private static byte[] join(BigInteger r, BigInteger s) {
    byte[] out = new byte[64];
    put(r, out, 0);
    put(s, out, 32);
    return out;
  }

  private static void put(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
  }
}
