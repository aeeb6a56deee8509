package dev.latchkey.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The auth server and the demo application server as two separate JVMs ({@link AuthChild}, {@link
 * AppChild}), the auth server on a fresh H2 folder or, with {@code dbUrl}, on a fresh schema of
 * that PostgreSQL database (dropped by {@link #close}).
 */
final class TwoServers implements AutoCloseable {
  final ServerProcess auth;
  final ServerProcess app;
  final String authUrl;
  final String appUrl;
  final List<String> tokens;
  private final String dbUrl;
  private final String dbUser;
  private final String schema;

  private TwoServers(
      ServerProcess auth,
      ServerProcess app,
      List<String> tokens,
      String dbUrl,
      String dbUser,
      String schema) {
    this.auth = auth;
    this.app = app;
    this.authUrl = auth.env("AUTH_URL");
    this.appUrl = app.env("APP_URL");
    this.tokens = tokens;
    this.dbUrl = dbUrl;
    this.dbUser = dbUser;
    this.schema = schema;
  }

  /** Where each server may run: {@code taskset -c} CPU lists, null for any. */
  record Cpus(String auth, String app) {
    static final Cpus ANY = new Cpus(null, null);
  }

  /**
   * Starts both in {@code dir} (logs, GC logs, tokens file).
   *
   * @param hashThreads the auth server's hashing threads, or 0 for its default (one a core)
   * @param dbUrl a PostgreSQL JDBC URL, or null for H2
   * @param cpus where each server may run ({@link Cpus#ANY}: anywhere)
   */
  static TwoServers start(
      Path dir,
      List<String> jvmOptions,
      int accounts,
      int tokens,
      int hashThreads,
      String dbUrl,
      String dbUser,
      Cpus cpus)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path tokensFile = dir.resolve("tokens.txt");
    List<String> authArgs =
        new ArrayList<>(
            List.of(
                "--accounts",
                Integer.toString(accounts),
                "--tokens",
                Integer.toString(tokens),
                "--tokens-file",
                tokensFile.toString()));
    if (hashThreads > 0) {
      authArgs.addAll(List.of("--hash-threads", Integer.toString(hashThreads)));
    }
    String schema = null;
    if (dbUrl != null) {
      schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      authArgs.addAll(List.of("--db-url", dbUrl, "--db-schema", schema));
      if (dbUser != null) {
        authArgs.addAll(List.of("--db-user", dbUser));
      }
    }
    ServerProcess auth =
        ServerProcess.start("auth", dir, cpus.auth(), jvmOptions, null, AuthChild.class, authArgs);
    try {
      // the demo server refuses to start without a client; the API does not need a real one
      Path web = dir.resolve("web");
      Files.createDirectories(web.resolve("public"));
      Files.writeString(
          web.resolve("public/index.html"), "<!doctype html><title>latchkey bench</title>\n");
      ServerProcess app =
          ServerProcess.start(
              "app",
              dir,
              cpus.app(),
              jvmOptions,
              web.toString(),
              AppChild.class,
              List.of("--auth-url", auth.env("AUTH_URL")));
      return new TwoServers(auth, app, Files.readAllLines(tokensFile), dbUrl, dbUser, schema);
    } catch (IOException | RuntimeException e) {
      auth.close();
      throw e;
    }
  }

  List<ServerProcess> processes() {
    return List.of(auth, app);
  }

  @Override
  public void close() throws InterruptedException {
    app.close();
    auth.close();
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(dbUrl, dbUser, null);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        System.err.println("could not drop schema " + schema + ": " + e.getMessage());
      }
    }
  }
}
