package dev.latchkey.scale;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx as the load balancer in front of the auth servers, on a loopback port, run in the
 * foreground ({@code daemon off}) as the test's child process so the test owns its lifetime. Logs
 * and temporary files stay in its own folder. The server block includes the production guide's
 * {@code deploy/nginx/latchkey-auth.conf} as it is: the locations, headers, retries and login rate
 * limit a deployment runs with; only the upstream, the rate (the tests log in far faster than a
 * person, from one address) and the listener are the test's.
 */
final class Nginx implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path dir;

  private Nginx(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  static Path binary() {
    return Command.onPath("nginx");
  }

  /**
   * Starts nginx on {@code port} balancing over {@code upstreamPorts} (round robin). Connection
   * errors and timeouts are retried on the next server ({@code proxy_next_upstream error timeout});
   * nginx never retries a POST that already reached a server, so a request cut off by a dying
   * server fails. {@code X-Forwarded-For} carries the client's address to the servers, which trust
   * 127.0.0.1.
   */
  static Nginx start(Path dir, int port, List<Integer> upstreamPorts) throws IOException {
    return start(dir, port, upstreamPorts, "");
  }

  /**
   * As {@link #start(Path, int, List)}, with {@code locationDirectives} added to the server block
   * (e.g. {@code proxy_bind 127.0.0.2;} so the servers see the proxy at its own address).
   */
  static Nginx start(Path dir, int port, List<Integer> upstreamPorts, String locationDirectives)
      throws IOException {
    Files.createDirectories(dir);
    Path authLocations =
        Files.copy(
            deployedConfig(),
            dir.resolve("latchkey-auth.conf"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String servers =
        upstreamPorts.stream()
            .map(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=2s;")
            .collect(Collectors.joining("\n"));
    boolean root = "root".equals(System.getProperty("user.name"));
    String config =
        (root ? "user root;\n" : "")
            + """
            worker_processes 1;
            error_log %1$s/error.log warn;
            events { worker_connections 1024; }
            http {
              log_format upstream '$remote_addr "$request" $status upstream=$upstream_addr'
                                  ' upstream_status=$upstream_status time=$request_time';
              access_log %1$s/access.log upstream;
              client_body_temp_path %1$s/client_body;
              proxy_temp_path %1$s/proxy;
              fastcgi_temp_path %1$s/fastcgi;
              uwsgi_temp_path %1$s/uwsgi;
              scgi_temp_path %1$s/scgi;
              limit_req_zone $binary_remote_addr zone=latchkey_logins:10m rate=10000r/s;
              upstream latchkey_auth {
            %2$s
              }
              server {
                listen 127.0.0.1:%3$d;
                %4$s
                include %5$s;
              }
            }
            """
                .formatted(dir, servers, port, locationDirectives, authLocations);
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, config);
    Process process =
        new ProcessBuilder(
                binary().toString(),
                "-p",
                dir.toString(),
                "-c",
                conf.toString(),
                "-e",
                dir.resolve("error.log").toString(),
                "-g",
                "daemon off; pid " + dir.resolve("nginx.pid") + ";")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    Nginx nginx = new Nginx(process, port, dir);
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!Ports.accepts(port)) {
      if (!process.isAlive() || System.nanoTime() > end) {
        nginx.close();
        throw new IllegalStateException(
            "nginx did not start:\n" + Files.readString(dir.resolve("stdout.log")) + tail(dir));
      }
      sleep(100);
    }
    return nginx;
  }

  /** The nginx configuration docs/guide-production.md documents, in the checkout's deploy/. */
  static Path deployedConfig() {
    Path here = Path.of("").toAbsolutePath();
    while (here != null && !Files.exists(here.resolve("deploy/nginx/latchkey-auth.conf"))) {
      here = here.getParent();
    }
    if (here == null) {
      throw new IllegalStateException(
          "deploy/nginx/latchkey-auth.conf not found above " + Path.of("").toAbsolutePath());
    }
    return here.resolve("deploy/nginx/latchkey-auth.conf");
  }

  private static String tail(Path dir) throws IOException {
    Path log = dir.resolve("error.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The lines nginx wrote to its error log (upstream failures and retries show up here). */
  List<String> errorLog() throws IOException {
    Path log = dir.resolve("error.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** Stops nginx: SIGTERM (the master stops its workers), then SIGKILL if it hangs. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "nginx on " + url();
  }
}
