package dev.latchkey.bench.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DPoP load measures what it says only if every variant's requests succeed for the right
 * reason: the demo and Spring Security accept the bound token with the generator's fresh proof, and
 * refuse it without one, with a replayed one and with another key's; the Bearer variant's token is
 * accepted as Bearer.
 */
class DpopLoadHarnessTest {
  private static DpopServers servers;
  private static Map<String, String> env;
  private static String lastRefusal;

  @BeforeAll
  static void start() throws Exception {
    servers = DpopServers.start(3);
    env = servers.env();
  }

  @AfterAll
  static void stop() {
    servers.close();
  }

  private static URI lessons(String base) {
    return URI.create(env.get(base) + "/api/lessons");
  }

  private static int get(URI url, String scheme, String token, String proof) throws Exception {
    try (HttpConnection http = new HttpConnection(url)) {
      String headers = "Authorization: " + scheme + " " + token + "\r\n";
      int status = http.get(proof == null ? headers : headers + "DPoP: " + proof + "\r\n");
      lastRefusal = http.lastBody;
      return status;
    }
  }

  private static ProofMaker proofs(ECKey key, URI url) throws Exception {
    return new ProofMaker(key, "GET", url.toString(), env.get("BOUND_TOKEN_1"));
  }

  @Test
  void bothServersAcceptTheBoundTokenWithEachFreshProofAndRefuseItOtherwise() throws Exception {
    ECKey client = ECKey.parse(env.get("CLIENT_JWK_1"));
    ECKey other = new ECKeyGenerator(Curve.P_256).generate();
    String bound = env.get("BOUND_TOKEN_1");
    for (String base : new String[] {"DEMO_URL", "SPRING_URL"}) {
      URI url = lessons(base);
      ProofMaker proofs = proofs(client, url);
      String proof = proofs.next();
      assertThat(get(url, "DPoP", bound, proof)).as(base + ", fresh proof").isEqualTo(200);
      assertThat(get(url, "DPoP", bound, proofs.next())).as(base + ", next proof").isEqualTo(200);
      assertThat(get(url, "DPoP", bound, proof)).as(base + ", replayed proof").isEqualTo(401);
      assertThat(get(url, "DPoP", bound, null)).as(base + ", no proof").isEqualTo(401);
      assertThat(get(url, "DPoP", env.get("BOUND_TOKEN_2"), proofs.next()))
          .as(base + ", another client's token")
          .isEqualTo(401);
      assertThat(get(url, "DPoP", bound, proofs(other, url).next()))
          .as(base + ", another key's proof")
          .isEqualTo(401);
    }
  }

  @Test
  void proofsMadeBeforeABlockAreAcceptedOnceEachByBothServers() throws Exception {
    DpopLoad load = DpopLoad.of(env, 4, ProcessHandle.current().pid(), 100);
    for (String name : new String[] {"demo-dpop", "spring-dpop"}) {
      DpopLoad.Variant v = load.variant(name);
      String[] proofs = load.proofsFor(v, 40);
      DpopLoad.Block b = load.run(v, 30, proofs);
      assertThat(b.requestsPerSecond() * b.seconds()).as(name).isCloseTo(40, within(0.01));
      assertThat(get(v.url(), "DPoP", v.tokens().get(0), proofs[0]))
          .as(name + ", replayed")
          .isEqualTo(401);
    }
  }

  @Test
  void theBearerVariantsTokenOpensTheDemosRouteAsBearer() throws Exception {
    URI url = lessons("DEMO_URL");
    for (int i = 0; i < 3; i++) {
      int status = get(url, "Bearer", env.get("BEARER_TOKEN_" + i), null);
      assertThat(status).as("token %d: %s", i, lastRefusal).isEqualTo(200);
    }
    assertThat(get(url, "Bearer", env.get("BOUND_TOKEN_0"), null))
        .as("bound as Bearer")
        .isEqualTo(401);
  }

  @Test
  void pairedRatiosAreMediansOfThePairs() {
    assertThat(DpopLoad.quantile(new double[] {3, 1, 2}, 0.5)).isEqualTo(2);
    assertThat(DpopLoad.quantile(new double[] {1, 2, 3, 4}, 0.5)).isEqualTo(2.5);
    assertThat(DpopLoad.quantile(new double[] {1, 2, 3, 4, 5}, 0.25)).isEqualTo(2);
  }
}
