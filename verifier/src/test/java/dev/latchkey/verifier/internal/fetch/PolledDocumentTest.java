package dev.latchkey.verifier.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.latchkey.testing.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The polled-document primitive against a real endpoint, on a hand-moved monotonic ticker. */
class PolledDocumentTest {
  private static final Duration REFRESH = Duration.ofMinutes(10);
  private static final Duration SPACING = Duration.ofSeconds(6);

  private final AtomicLong ticker = new AtomicLong(123_456_789L);
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String body = "{\"v\":1}";
  private HttpServer server;
  private PolledDocument<String> document;

  /** Reads the body as text and asks for {@code ?after=<held>} once something is held. */
  private final PolledDocument.Reader<String> reader =
      new PolledDocument.Reader<>() {
        @Override
        public URI uri(URI endpoint, String held) {
          return held == null ? endpoint : URI.create(endpoint + "?after=ok");
        }

        @Override
        public String read(String held, byte[] bytes) throws ParseException {
          String text = new String(bytes, StandardCharsets.UTF_8);
          if (!text.startsWith("{")) {
            throw new ParseException("not an object", 0);
          }
          return text;
        }
      };

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/doc",
        ex -> {
          requests.add(String.valueOf(ex.getRequestURI().getRawQuery()));
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, b.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
          }
        });
    server.start();
    Endpoint endpoint =
        new Endpoint(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/doc"),
            "application/json",
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            1024,
            4);
    document =
        new PolledDocument<>(
                "test",
                endpoint,
                new Schedule(REFRESH, SPACING, Duration.ofMillis(10)),
                reader,
                ticker::get)
            .start();
    Await.until(() -> document.held() != null);
  }

  @AfterEach
  void stop() {
    document.close();
    server.stop(0);
  }

  private void advance(Duration d) {
    ticker.addAndGet(d.toNanos());
  }

  @Test
  void theFirstFetchHappensAtStartAndTheAgeFollowsTheTicker() {
    assertThat(document.held().value()).isEqualTo("{\"v\":1}");
    assertThat(requests).containsExactly("null");

    advance(Duration.ofSeconds(42));

    SourceStats stats = document.stats(7);
    assertThat(stats).isEqualTo(new SourceStats(1, 0, 7, Duration.ofSeconds(42)));
  }

  @Test
  void aRefreshIsDueOnlyAfterTheRefreshPeriod() {
    body = "{\"v\":2}";
    advance(REFRESH.minusSeconds(1));
    document.refreshIfDue();
    assertThat(requests).hasSize(1);

    advance(Duration.ofSeconds(1)); // the background thread notices by itself

    Await.until(() -> "{\"v\":2}".equals(document.held().value()));
    assertThat(requests).containsExactly("null", "after=ok");
    assertThat(document.stats(0).age()).isEqualTo(Duration.ZERO);
  }

  @Test
  void spacedFetchesRespectTheRateLimitAndFailuresKeepTheHeldValue() {
    status = 500;
    advance(SPACING);
    PolledDocument.Held<String> before = document.held();

    assertThat(document.fetchSpaced()).isSameAs(before); // fetched, failed, kept
    assertThat(document.fetchSpaced()).isSameAs(before); // within the spacing: not fetched
    assertThat(requests).hasSize(2);
    assertThat(document.stats(0).fetchesFailed()).isEqualTo(1);

    status = 200;
    body = "{\"v\":3}";
    advance(SPACING);
    assertThat(document.fetchSpaced().value()).isEqualTo("{\"v\":3}");
  }

  @Test
  void aForcedFetchIgnoresTheScheduleAndReportsItsOutcome() {
    body = "{\"v\":4}";
    assertThat(document.fetchNow()).isTrue();
    assertThat(document.held().value()).isEqualTo("{\"v\":4}");

    body = "not json";
    assertThat(document.fetchNow()).isFalse();
    body = "{\"a\":[[[[[1]]]]]}"; // deeper than 4
    assertThat(document.fetchNow()).isFalse();

    assertThat(document.held().value()).isEqualTo("{\"v\":4}");
    assertThat(document.stats(0).fetchesFailed()).isEqualTo(2);
  }

  @Test
  void closeStopsTheThreadAndForcedFetches() {
    document.close();

    Await.until(
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("latchkey-test-") && t.isAlive()));
    assertThat(document.fetchNow()).isFalse();
  }
}
