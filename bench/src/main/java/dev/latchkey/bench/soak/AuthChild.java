package dev.latchkey.bench.soak;

import dev.latchkey.bench.BenchTokens;
import dev.latchkey.bench.TempDirs;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.HashingSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The auth server as its own JVM, what {@code latchkey serve} runs ({@link AuthServer} on a fresh
 * H2 folder, or on a fresh schema of a PostgreSQL database), set up for the soak and the login
 * flood:
 *
 * <ul>
 *   <li>real Argon2id parameters (the server's defaults) and hashing pool ({@code --hash-threads N}
 *       threads instead of one a core);
 *   <li>refresh sessions on, with 2 h access tokens (they outlive any run) and no minimum interval
 *       between rotations, so that every refresh rotates (signs, writes);
 *   <li>{@code 127.0.0.1} a trusted proxy, so that the flood's {@code X-Forwarded-For} addresses
 *       are the client addresses the throttle counts;
 *   <li>{@code --accounts N} users {@code soak-<i>@example.com} with {@link #PASSWORD};
 *   <li>{@code --tokens N} distinct session tokens of the first user, signed by the running
 *       server's {@link TokenIssuer} (each its own {@code sid}), one per line in {@code
 *       --tokens-file}.
 * </ul>
 *
 * <p>Writes {@code AUTH_URL} to {@code --env-file} when ready; runs until SIGTERM or {@code
 * --max-seconds}. Started by {@link ServerProcess}.
 */
public final class AuthChild {
  static final String PASSWORD = "correct horse battery staple";

  private AuthChild() {}

  static String email(int i) {
    return "soak-" + i + "@example.com";
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = ChildArgs.parse(args);
    Path dataDir = TempDirs.create("latchkey-bench-auth");
    StoreSettings store = StoreSettings.embedded(dataDir);
    if (o.containsKey("--db-url")) {
      store =
          store.withDatabase(
              o.get("--db-url"), o.get("--db-user"), o.get("--db-password"), o.get("--db-schema"));
    }
    SessionSettings sessions =
        SessionSettings.defaults()
            .withRefresh(
                RefreshSettings.on(Duration.ofHours(2), Duration.ofDays(1), Duration.ofDays(7))
                    .withMinInterval(Duration.ZERO))
            .withTrustedProxies(List.of("127.0.0.1"));
    AuthServerConfig config =
        AuthServerConfig.defaults()
            .withHttp(HttpSettings.defaults().withAddress("127.0.0.1", 0))
            .withStore(store)
            .withHashing(hashing(o.get("--hash-threads")))
            .withSessions(sessions);
    AuthServer server = AuthServer.start(config);
    try {
      int accounts = Integer.parseInt(o.getOrDefault("--accounts", "20"));
      IntStream.range(0, accounts)
          .parallel()
          .forEach(i -> server.store().users().add(email(i), PASSWORD.toCharArray()));
      int count = Integer.parseInt(o.getOrDefault("--tokens", "20000"));
      String subject = server.store().users().findEnabled(email(0)).orElseThrow().id();
      TokenIssuer issuer = server.store().tokens(server.issuer());
      String tokens =
          IntStream.range(0, count)
              .parallel()
              .mapToObj(i -> BenchTokens.bearer(issuer, subject).token())
              .collect(Collectors.joining("\n", "", "\n"));
      Files.writeString(Path.of(o.get("--tokens-file")), tokens, StandardCharsets.US_ASCII);
    } catch (RuntimeException e) {
      server.close();
      TempDirs.delete(dataDir);
      throw e;
    }
    ChildArgs.serveUntilStopped(
        o,
        "AUTH_URL=" + server.baseUrl() + "\n",
        () -> {
          server.close();
          TempDirs.delete(dataDir);
        });
  }

  /** The server's defaults, with {@code --hash-threads} threads when given. */
  private static HashingSettings hashing(String threads) {
    HashingSettings defaults = HashingSettings.defaults();
    return threads == null ? defaults : defaults.withThreads(Integer.parseInt(threads));
  }
}
