package dev.latchkey.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WebAuthn authenticator written for the tests, independent of the server's library: an EC P-256
 * key, its own CBOR for the COSE key and the "none" attestation object, the authenticator data and
 * client data built byte by byte, and an ES256 signature. It answers options with what a browser's
 * {@code PublicKeyCredential.toJSON()} gives, and every part a test may falsify is a field: the
 * origin, the RP ID, the flags, the counter.
 */
final class TestAuthenticator {
  static final int UP = 0x01;
  static final int UV = 0x04;
  static final int BE = 0x08;
  static final int BS = 0x10;
  private static final int AT = 0x40;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  final byte[] credentialId = new byte[16];
  private final KeyPair keys;
  private byte[] userHandle;

  /** The page the ceremony runs on, as the browser writes it into the client data. */
  String origin;

  /** The RP ID whose hash the authenticator data carries (a browser takes it from the options). */
  String rpId;

  /** UP, UV, BE, BS as the authenticator reports them. */
  int flags = UP | UV;

  /** The signature counter of the next assertion (0: this authenticator keeps none). */
  long counter = 1;

  TestAuthenticator(String origin) {
    this.origin = origin;
    RANDOM.nextBytes(credentialId);
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      keys = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String id() {
    return B64.encodeToString(credentialId);
  }

  /** {@code navigator.credentials.create()} with these creation options, as {@code toJSON()}. */
  Map<String, Object> register(JsonNode options) {
    String rp = rpId != null ? rpId : options.get("rp").get("id").asText();
    userHandle = Base64.getUrlDecoder().decode(options.get("user").get("id").asText());
    byte[] clientData = clientData("webauthn.create", options.get("challenge").asText());
    ByteArrayOutputStream authData = new ByteArrayOutputStream();
    authData.writeBytes(sha256(rp.getBytes(StandardCharsets.UTF_8)));
    authData.write(flags | AT);
    authData.writeBytes(ByteBuffer.allocate(4).putInt((int) 0).array());
    authData.writeBytes(new byte[16]); // AAGUID: none
    authData.writeBytes(ByteBuffer.allocate(2).putShort((short) credentialId.length).array());
    authData.writeBytes(credentialId);
    authData.writeBytes(coseKey());
    Cbor attestation = new Cbor().map(3);
    attestation.text("fmt").text("none").text("attStmt").map(0);
    attestation.text("authData").bytes(authData.toByteArray());
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("clientDataJSON", B64.encodeToString(clientData));
    response.put("attestationObject", B64.encodeToString(attestation.done()));
    response.put("transports", List.of("internal"));
    return credential(response);
  }

  /** {@code navigator.credentials.get()} with these request options, as {@code toJSON()}. */
  Map<String, Object> assert_(JsonNode options) {
    String rp = rpId != null ? rpId : options.get("rpId").asText();
    byte[] clientData = clientData("webauthn.get", options.get("challenge").asText());
    ByteArrayOutputStream authData = new ByteArrayOutputStream();
    authData.writeBytes(sha256(rp.getBytes(StandardCharsets.UTF_8)));
    authData.write(flags);
    authData.writeBytes(ByteBuffer.allocate(4).putInt((int) counter).array());
    if (counter > 0) {
      counter++;
    }
    byte[] signed = authData.toByteArray();
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("clientDataJSON", B64.encodeToString(clientData));
    response.put("authenticatorData", B64.encodeToString(signed));
    response.put("signature", B64.encodeToString(sign(signed, clientData)));
    response.put("userHandle", B64.encodeToString(userHandle));
    return credential(response);
  }

  private Map<String, Object> credential(Map<String, Object> response) {
    Map<String, Object> credential = new LinkedHashMap<>();
    credential.put("id", id());
    credential.put("rawId", id());
    credential.put("type", "public-key");
    credential.put("response", response);
    credential.put("authenticatorAttachment", "platform");
    credential.put("clientExtensionResults", Map.of());
    return credential;
  }

  private byte[] clientData(String type, String challenge) {
    return ("{\"type\":\""
            + type
            + "\",\"challenge\":\""
            + challenge
            + "\",\"origin\":\""
            + origin
            + "\",\"crossOrigin\":false}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] sign(byte[] authData, byte[] clientData) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA"); // DER, as WebAuthn's ES256
      s.initSign(keys.getPrivate());
      s.update(authData);
      s.update(sha256(clientData));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The COSE_Key of the public key: {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}. */
  private byte[] coseKey() {
    ECPublicKey pub = (ECPublicKey) keys.getPublic();
    return new Cbor()
        .map(5)
        .integer(1)
        .integer(2)
        .integer(3)
        .integer(-7)
        .integer(-1)
        .integer(1)
        .integer(-2)
        .bytes(unsigned32(pub.getW().getAffineX()))
        .integer(-3)
        .bytes(unsigned32(pub.getW().getAffineY()))
        .done();
  }

  private static byte[] unsigned32(BigInteger n) {
    byte[] raw = n.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The little of CBOR (RFC 8949) the attestation needs: maps, integers, byte and text strings. */
  private static final class Cbor {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Cbor map(int entries) {
      return head(5, entries);
    }

    Cbor integer(long v) {
      return v >= 0 ? head(0, v) : head(1, -1 - v);
    }

    Cbor bytes(byte[] b) {
      head(2, b.length);
      out.writeBytes(b);
      return this;
    }

    Cbor text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      head(3, b.length);
      out.writeBytes(b);
      return this;
    }

    private Cbor head(int major, long v) {
      int m = major << 5;
      if (v < 24) {
        out.write(m | (int) v);
      } else if (v < 256) {
        out.write(m | 24);
        out.write((int) v);
      } else {
        out.write(m | 25);
        out.write((int) (v >> 8));
        out.write((int) v & 0xff);
      }
      return this;
    }

    byte[] done() {
      return out.toByteArray();
    }
  }
}
