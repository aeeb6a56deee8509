package dev.latchkey.server.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;

/** The key that signs right now: its kid, algorithm and a ready signer. Never logged. */
public record ActiveKey(String kid, JWSAlgorithm algorithm, JWSSigner signer) {
  @Override
  public String toString() {
    return "ActiveKey[kid=" + kid + ", algorithm=" + algorithm + "]";
  }
}
