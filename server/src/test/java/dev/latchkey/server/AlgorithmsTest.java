package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlgorithmsTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @ValueSource(strings = {"ES256", "PS256"})
  void selectableAlgorithmsSignVerifiableTokens(String algorithm) throws Exception {
    AuthServerConfig fresh = TestDatabase.H2.freshConfig(tempDir);
    AuthServerConfig config =
        fresh
            .withKeys(fresh.keys().withAlgorithm(algorithm))
            .withTokens(fresh.tokens().withAudience("app"));
    try (AuthServer server = AuthServer.start(config)) {
      server.store().users().add("ada@example.com", "correct horse battery".toCharArray());

      String token =
          TestHttp.idToken(TestHttp.login(server, "ada@example.com", "correct horse battery"));

      assertThat(SignedJWT.parse(token).getHeader().getAlgorithm().getName()).isEqualTo(algorithm);
      assertThat(TestHttp.verify(server, token, "app").getAudience()).containsExactly("app");
      JWK key = JWKSet.parse(TestHttp.get(server.jwksUrl()).body()).getKeys().get(0);
      assertThat(key.getAlgorithm().getName()).isEqualTo(algorithm);
      assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
      assertThat(key.getX509CertChain()).hasSize(1);
      assertThat(
              TestHttp.json(TestHttp.get(server.discoveryUrl()))
                  .get("id_token_signing_alg_values_supported")
                  .toString())
          .contains(algorithm);
    }
  }
}
