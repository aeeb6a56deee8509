package dev.latchkey.bench.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.bench.BenchTokens;
import dev.latchkey.bench.TempDirs;
import dev.latchkey.bench.load.LessonsServers;
import dev.latchkey.demo.DemoConfig;
import dev.latchkey.demo.DemoServer;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.tokens.TokenIssuer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Everything {@code bench/load/dpop-load.sh} drives, in one JVM on loopback (only one server is
 * loaded at a time, so the JVM's CPU time during a block is that server's):
 *
 * <ul>
 *   <li>a real {@link AuthServer} on a temporary H2 folder with one user;
 *   <li>the real {@link DemoServer} (what {@code latchkey app} runs: verifier defaults, DPoP
 *       accepted, keys and revocation feed from the auth server);
 *   <li>{@link SpringDpopServer}, Spring Security's own DPoP resource server on the same JWKS;
 *   <li>{@code --clients N} (default 64) clients, each an EC P-256 key, a session token bound to it
 *       ({@code cnf.jkt}, signed by the auth server's active key as the auth server signs a DPoP
 *       login's token) and an unbound session token (the first from a real {@code POST /api/login},
 *       the others from the auth server's {@link TokenIssuer}). Several clients, as a server has:
 *       Spring Security's replay cache refuses more than 1 000 proofs of one key within its window.
 * </ul>
 *
 * <p>It writes {@code DEMO_URL}, {@code SPRING_URL}, {@code CLIENTS} and per client {@code
 * BEARER_TOKEN_i}, {@code BOUND_TOKEN_i}, {@code CLIENT_JWK_i} (its private JWK, for the load
 * generator's proofs) to {@code --env-file}, then runs until SIGTERM or {@code --max-seconds}.
 */
public final class DpopServers implements AutoCloseable {
  private final Path dataDir = TempDirs.create("latchkey-bench-dpop");
  private final List<AutoCloseable> started = new ArrayList<>();
  private final AuthServer auth;
  private final DemoServer demo;
  private final ConfigurableApplicationContext spring;
  private final List<ECKey> clients = new ArrayList<>();
  private final List<String> bearerTokens = new ArrayList<>();
  private final List<String> boundTokens = new ArrayList<>();

  private DpopServers(int clientCount) throws Exception {
    try {
      auth = LessonsServers.startAuthServer(dataDir);
      started.add(auth);
      demo =
          DemoServer.start(
              DemoConfig.defaults().withPort(0).withAuthUrl(URI.create(auth.baseUrl())));
      started.add(demo);
      spring =
          SpringDpopServer.start(
              auth.baseUrl() + "/.well-known/jwks.json",
              auth.issuer(),
              DemoConfig.DEFAULT_AUDIENCE);
      started.add(spring::close);
      String subject = auth.store().users().findEnabled(LessonsServers.EMAIL).orElseThrow().id();
      TokenIssuer issuer = auth.store().tokens(auth.issuer());
      bearerTokens.add(LessonsServers.login(auth));
      for (int i = 0; i < clientCount; i++) {
        ECKey client = new ECKeyGenerator(Curve.P_256).generate();
        clients.add(client);
        boundTokens.add(bound(client.computeThumbprint().toString()));
        if (i > 0) {
          bearerTokens.add(BenchTokens.bearer(issuer, subject).token());
        }
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** A session token like the auth server's, plus {@code cnf.jkt}, signed by its active key. */
  private String bound(String jkt) throws JOSEException {
    var active = auth.store().keys().active();
    String subject = auth.store().users().findEnabled(LessonsServers.EMAIL).orElseThrow().id();
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(auth.issuer())
            .subject(subject)
            .audience(DemoConfig.DEFAULT_AUDIENCE)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofHours(2))))
            .jwtID(UUID.randomUUID().toString())
            .claim("sid", TokenIssuer.newSessionId())
            .claim("cnf", Map.of("jkt", jkt))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(active.algorithm())
                .keyID(active.kid())
                .type(TokenIssuer.TYPE)
                .build(),
            claims);
    jwt.sign(active.signer());
    return jwt.serialize();
  }

  /** What the load generator needs: the servers' URLs, the two tokens and the client's key. */
  Map<String, String> env() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("DEMO_URL", demo.baseUrl());
    env.put("SPRING_URL", "http://127.0.0.1:" + SpringDpopServer.port(spring));
    env.put("CLIENTS", Integer.toString(clients.size()));
    for (int i = 0; i < clients.size(); i++) {
      env.put("BEARER_TOKEN_" + i, bearerTokens.get(i));
      env.put("BOUND_TOKEN_" + i, boundTokens.get(i));
      env.put("CLIENT_JWK_" + i, clients.get(i).toJSONString());
    }
    return env;
  }

  private String envFile() {
    StringBuilder b = new StringBuilder();
    env().forEach((k, v) -> b.append(k).append("='").append(v).append("'\n"));
    return b.toString();
  }

  static DpopServers start(int clients) throws Exception {
    return new DpopServers(clients);
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
    TempDirs.delete(dataDir);
  }

  public static void main(String[] args) throws Exception {
    Path envFile = null;
    long maxSeconds = 1800;
    int clients = 64;
    String usage = "use --env-file FILE [--clients N] [--max-seconds N]";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--env-file" -> envFile = Path.of(args[i + 1]);
        case "--max-seconds" -> maxSeconds = Long.parseLong(args[i + 1]);
        case "--clients" -> clients = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException(usage);
      }
    }
    if (envFile == null) {
      throw new IllegalArgumentException(usage);
    }
    DpopServers s = start(clients);
    Path env = envFile;
    LessonsServers.serveUntilStopped(
        s,
        () -> LessonsServers.writeAtomically(env, s.envFile()),
        () -> "demo verifier: " + s.demo.metrics(),
        maxSeconds);
  }
}
