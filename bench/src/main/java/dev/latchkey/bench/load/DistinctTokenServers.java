package dev.latchkey.bench.load;

import dev.latchkey.bench.BenchTokens;
import dev.latchkey.bench.TempDirs;
import dev.latchkey.demo.DemoConfig;
import dev.latchkey.demo.DemoServer;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.tokens.TokenIssuer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Everything {@code bench/load/distinct-tokens-wrk.sh} drives, in one JVM on loopback:
 *
 * <ul>
 *   <li>a real {@link AuthServer} on a temporary H2 folder with one user;
 *   <li>{@code --tokens N} distinct valid session tokens of that user: the first from a real {@code
 *       POST /api/login}, the others signed by the same running auth server's {@link TokenIssuer}
 *       (its active key, issuer and audience; each its own {@code sid} and {@code jti}), written
 *       one per line to {@code --tokens-file};
 *   <li>two real {@link DemoServer}s, keys from the auth server's JWKS URL, revocation feed on: one
 *       with the verified-token cache on (the default, what {@code latchkey app} runs), one with it
 *       off ({@link DemoConfig#withVerifiedTokenCache}).
 * </ul>
 *
 * <p>It writes {@code ON_URL}, {@code OFF_URL}, {@code AUTH_URL} to {@code --env-file} (shell
 * syntax) once the tokens are written, then runs until SIGTERM, or {@code --max-seconds} (default
 * 1800) at most, and removes what it created.
 */
public final class DistinctTokenServers implements AutoCloseable {
  private final Path dataDir;
  private final AuthServer auth;
  private final DemoServer cacheOn;
  private final DemoServer cacheOff;

  private DistinctTokenServers(Path tokensFile, int count) {
    dataDir = TempDirs.create("latchkey-bench-distinct");
    List<AutoCloseable> started = new ArrayList<>();
    try {
      auth = LessonsServers.startAuthServer(dataDir);
      started.add(auth);
      writeTokens(tokensFile, count);
      DemoConfig config = DemoConfig.defaults().withPort(0).withAuthUrl(URI.create(auth.baseUrl()));
      cacheOn = DemoServer.start(config);
      started.add(cacheOn);
      cacheOff = DemoServer.start(config.withVerifiedTokenCache(false));
      started.add(cacheOff);
    } catch (IOException | InterruptedException | RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      TempDirs.delete(dataDir);
      throw new IllegalStateException("cannot start the servers", e);
    }
  }

  private void writeTokens(Path file, int count) throws IOException, InterruptedException {
    String first = LessonsServers.login(auth);
    String subject = auth.store().users().findEnabled(LessonsServers.EMAIL).orElseThrow().id();
    TokenIssuer issuer = auth.store().tokens(auth.issuer());
    String others =
        IntStream.range(1, count)
            .parallel()
            .mapToObj(i -> BenchTokens.bearer(issuer, subject).token())
            .collect(Collectors.joining("\n"));
    Files.writeString(
        file, count == 1 ? first + "\n" : first + "\n" + others + "\n", StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    cacheOff.close();
    cacheOn.close();
    auth.close();
    TempDirs.delete(dataDir);
  }

  public static void main(String[] args) throws Exception {
    Path envFile = null;
    Path tokensFile = null;
    int count = 20_000;
    long maxSeconds = 1800;
    String usage = "use --env-file FILE --tokens-file FILE [--tokens N] [--max-seconds N]";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--env-file" -> envFile = Path.of(args[i + 1]);
        case "--tokens-file" -> tokensFile = Path.of(args[i + 1]);
        case "--tokens" -> count = Integer.parseInt(args[i + 1]);
        case "--max-seconds" -> maxSeconds = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException(usage);
      }
    }
    if (envFile == null || tokensFile == null || count < 1) {
      throw new IllegalArgumentException(usage);
    }
    DistinctTokenServers s = new DistinctTokenServers(tokensFile, count);
    Path env = envFile;
    LessonsServers.serveUntilStopped(
        s,
        () ->
            LessonsServers.writeAtomically(
                env,
                "ON_URL='"
                    + s.cacheOn.baseUrl()
                    + "'\nOFF_URL='"
                    + s.cacheOff.baseUrl()
                    + "'\nAUTH_URL='"
                    + s.auth.baseUrl()
                    + "'\n"),
        () -> "stopped",
        maxSeconds);
  }

  /** For the harness test: the servers' base URLs, cache on then off. */
  static List<String> baseUrls(DistinctTokenServers s) {
    return List.of(s.cacheOn.baseUrl(), s.cacheOff.baseUrl());
  }

  static DistinctTokenServers start(Path tokensFile, int count) {
    return new DistinctTokenServers(tokensFile, count);
  }
}
