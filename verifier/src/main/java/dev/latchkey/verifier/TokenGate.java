package dev.latchkey.verifier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.verifier.internal.fetch.JsonDepth;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks before any key or signature work, cheapest first: length, three non-empty base64url
 * parts, JSON nesting depth, a parsable JWS header, the algorithm allow-list, a signature present,
 * no {@code crit}, a claims-set payload. Each part is decoded and parsed once.
 */
final class TokenGate {
  /** Registered claims that must be JSON strings when present (RFC 7519 §4.1). */
  private static final List<String> STRING_CLAIMS = List.of("iss", "sub", "jti");

  /** base64url characters, by ASCII code. */
  private static final boolean[] BASE64URL = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      BASE64URL[c] = true;
      BASE64URL[c - 'A' + 'a'] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      BASE64URL[c] = true;
    }
    BASE64URL['-'] = true;
    BASE64URL['_'] = true;
  }

  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final Set<JWSAlgorithm> algorithms;
  private final int maxTokenLength;
  private final int maxJsonDepth;

  TokenGate(Set<JWSAlgorithm> algorithms, int maxTokenLength, int maxJsonDepth) {
    this.algorithms = Set.copyOf(algorithms);
    this.maxTokenLength = maxTokenLength;
    this.maxJsonDepth = maxJsonDepth;
  }

  /** Refuses a null, empty or oversized token before anything else (even a cache lookup). */
  void checkLength(String token) {
    if (token == null || token.isEmpty() || token.length() > maxTokenLength) {
      throw reject(RejectionReason.MALFORMED, "empty or oversized token");
    }
  }

  ParsedToken parse(String token) {
    checkLength(token);
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0 || second == first + 1) {
      throw reject(RejectionReason.MALFORMED, "not three parts");
    }
    for (int i = 0, n = token.length(); i < n; i++) {
      char c = token.charAt(i);
      if (c >= 128 || !(BASE64URL[c] || c == '.')) {
        throw reject(RejectionReason.MALFORMED, "not base64url");
      }
    }
    String headerPart = token.substring(0, first);
    byte[] headerJson = decode(headerPart);
    byte[] payloadJson = decode(token.substring(first + 1, second));
    if (!JsonDepth.within(headerJson, maxJsonDepth)
        || !JsonDepth.within(payloadJson, maxJsonDepth)) {
      throw reject(RejectionReason.MALFORMED, "JSON nested too deeply");
    }
    JWSHeader header = header(json(headerJson, "header is not a JSON object"), headerPart);
    if (!algorithms.contains(header.getAlgorithm())) {
      throw reject(RejectionReason.DISALLOWED_ALGORITHM, "algorithm not allowed");
    }
    if (second == token.length() - 1) {
      throw reject(RejectionReason.BAD_SIGNATURE, "no signature");
    }
    if (header.getCriticalParams() != null) {
      throw reject(RejectionReason.MALFORMED, "unsupported crit header");
    }
    JWTClaimsSet claims;
    try {
      Map<String, Object> payload = json(payloadJson, "payload is not a JSON object");
      for (String name : STRING_CLAIMS) {
        // RFC 7519: StringOrURI. Nimbus would turn a number "sub" into a string; we refuse it.
        if (payload.containsKey(name) && !(payload.get(name) instanceof String)) {
          throw reject(RejectionReason.MALFORMED, "a " + name + " claim that is not a string");
        }
      }
      claims = JWTClaimsSet.parse(payload);
    } catch (ParseException e) {
      throw reject(RejectionReason.MALFORMED, "payload is not a claims set");
    }
    byte[] signingInput = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
    return new ParsedToken(
        header, claims, signingInput, new Base64URL(token.substring(second + 1)));
  }

  /**
   * Nimbus's JWS header, or the reason it is none: {@code "alg":"none"} (which Nimbus refuses as
   * not a JWS header) and other algorithms outside the allow-list are disallowed, not malformed.
   */
  private JWSHeader header(Map<String, Object> json, String headerPart) {
    try {
      return JWSHeader.parse(json, new Base64URL(headerPart));
    } catch (ParseException | RuntimeException e) {
      boolean allowed =
          json.get("alg") instanceof String name
              && algorithms.stream().anyMatch(a -> a.getName().equals(name));
      throw json.get("alg") instanceof String && !allowed
          ? reject(RejectionReason.DISALLOWED_ALGORITHM, "algorithm not allowed")
          : reject(RejectionReason.MALFORMED, "unparsable header");
    }
  }

  private static Map<String, Object> json(byte[] utf8, String whyNot) {
    try {
      return JSONObjectUtils.parse(new String(utf8, StandardCharsets.UTF_8));
    } catch (ParseException | RuntimeException e) {
      throw reject(RejectionReason.MALFORMED, whyNot);
    }
  }

  /** The JDK's decoder (several times faster than Nimbus's); the characters were checked. */
  private static byte[] decode(String part) {
    try {
      return DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw reject(RejectionReason.MALFORMED, "bad base64url");
    }
  }

  private static TokenRejectedException reject(RejectionReason reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
