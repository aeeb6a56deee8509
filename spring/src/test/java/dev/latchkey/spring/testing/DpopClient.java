package dev.latchkey.spring.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Date;

/** A DPoP client: a P-256 key and its proofs (RFC 9449), sent to an application under test. */
public final class DpopClient {
  private final ECKey key;

  public DpopClient() {
    try {
      this.key = new ECKeyGenerator(Curve.P_256).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key's thumbprint, which a token bound to it carries as cnf.jkt. */
  public String thumbprint() {
    try {
      return key.computeThumbprint().toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh ES256 proof for {@code GET url} with {@code token}, carrying {@code nonce} if any. */
  public String proof(URI url, String token, String nonce) throws Exception {
    return new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256)
        .createDPoPJWT(
            new JWTID(),
            "GET",
            url,
            new Date(),
            new DPoPAccessToken(token),
            nonce == null ? null : new Nonce(nonce))
        .serialize();
  }

  /** {@code GET path} at the application on {@code port} as {@code Authorization: DPoP token}. */
  public HttpResponse<String> get(int port, String path, String token, String nonce)
      throws Exception {
    String proof = proof(URI.create("http://127.0.0.1:" + port + path), token, nonce);
    return new AppClient(port).send("GET", path, "Authorization", "DPoP " + token, "DPoP", proof);
  }
}
