package dev.latchkey.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own: {@code initdb} into a temporary folder, {@code pg_ctl} on
 * a free loopback port with trust authentication, so the test can stop and start it without
 * touching the machine's shared database. PostgreSQL refuses to run as root: as root, every command
 * runs as the {@code postgres} OS user through {@code runuser}.
 */
final class PostgresCluster implements AutoCloseable {

  static final String USER = "postgres";
  static final String DATABASE = "latchkey";

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final Path log;
  private final int port;
  private final boolean asPostgresUser;
  private boolean running;
  private Path keepLogAt;

  private PostgresCluster(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.log = dir.resolve("postgresql.log");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** The bin folder of the newest installed PostgreSQL with initdb and pg_ctl, if any. */
  static Optional<Path> findBinaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Command.executable(b.resolve("initdb")))
          .filter(b -> Command.executable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(PostgresCluster::majorVersion));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Why a cluster cannot be made here, or empty when it can. */
  static Optional<String> whyUnavailable() {
    if (findBinaries().isEmpty()) {
      return Optional.of("no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin");
    }
    if (isRoot()) {
      if (Command.onPath("runuser") == null) {
        return Optional.of("running as root without runuser to run initdb as " + USER);
      }
      try {
        if (Command.run(List.of("id", "-u", USER), Duration.ofSeconds(5)).exitCode() != 0) {
          return Optional.of("running as root and there is no OS user " + USER);
        }
      } catch (IOException e) {
        return Optional.of("cannot run id: " + e);
      }
    }
    return Optional.empty();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Creates the cluster and its database {@value #DATABASE}, and starts it. */
  static PostgresCluster start() throws IOException, SQLException {
    Path bin = findBinaries().orElseThrow();
    Path dir = Files.createTempDirectory("latchkey-scale-pg-");
    boolean asPostgres = isRoot();
    PostgresCluster cluster = new PostgresCluster(bin, dir, Ports.free(), asPostgres);
    try {
      if (asPostgres) {
        Command.runOrFail(List.of("chown", USER + ":", dir.toString()), Duration.ofSeconds(10));
      }
      Command.runOrFail(
          cluster.as(
              bin.resolve("initdb").toString(),
              "--pgdata=" + cluster.data,
              "--username=" + USER,
              "--auth=trust",
              "--encoding=UTF8",
              "--locale=C",
              "--no-sync"),
          Duration.ofSeconds(60));
      cluster.startServer();
      try (Connection c = cluster.connect("postgres");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
      return cluster;
    } catch (IOException | SQLException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  Connection connect() throws SQLException {
    return connect(DATABASE);
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?connectTimeout=5", USER, null);
  }

  /** Starts the server and waits until it accepts connections. */
  void startServer() throws IOException {
    Command.runOrFail(
        as(
            bin.resolve("pg_ctl").toString(),
            "--pgdata=" + data,
            "--log=" + log,
            "--wait",
            "--timeout=60",
            "--options=-c port="
                + port
                + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                + dir
                + " -c fsync=off -c max_connections=100",
            "start"),
        Duration.ofSeconds(90));
    running = true;
  }

  /** Stops the server ({@code fast}: open connections are cut, nothing committed is lost). */
  void stopServer() throws IOException {
    stop("fast");
  }

  private void stop(String mode) throws IOException {
    Command.runOrFail(
        as(
            bin.resolve("pg_ctl").toString(),
            "--pgdata=" + data,
            "--mode=" + mode,
            "--wait",
            "stop"),
        Duration.ofSeconds(60));
    running = false;
  }

  /** Where to copy the server's log when the cluster is deleted. */
  void keepLogAt(Path target) {
    this.keepLogAt = target;
  }

  private List<String> as(String... command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of(Command.onPath("runuser").toString(), "-u", USER, "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  /** Stops the server at once if it runs, and deletes the cluster's folder. */
  @Override
  public void close() throws IOException {
    try {
      if (running || Files.exists(data.resolve("postmaster.pid"))) {
        stop("immediate");
      }
    } finally {
      if (keepLogAt != null && Files.exists(log)) {
        Files.copy(log, keepLogAt, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      deleteTree(dir);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL on 127.0.0.1:" + port + " (" + dir + ")";
  }
}
