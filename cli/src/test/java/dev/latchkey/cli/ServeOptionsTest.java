package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.throttle.ThrottleSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code serve} options as they reach {@link AuthServerConfig}; no server is started. */
class ServeOptionsTest {

  @TempDir Path dataDir;
  private final StringWriter err = new StringWriter();

  private AuthServerConfig config(Map<String, String> environment, String... args)
      throws Exception {
    ServeCommand command = new ServeCommand();
    new CommandLine(command)
        .setDefaultValueProvider(new EnvironmentDefaults(environment))
        .parseArgs(withDataDir(args));
    return command.config();
  }

  private AuthServerConfig config(String... args) throws Exception {
    return config(Map.of(), args);
  }

  private String[] withDataDir(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dataDir.toString();
    return all;
  }

  /** Runs {@code latchkey serve ...} as an operator would; only for values that fail early. */
  private int serve(String... args) {
    CommandLine commandLine = Latchkey.commandLine();
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(withDataDir(prepend("serve", args)));
  }

  private static String[] prepend(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** The policy flags are judged together, never one against the other's default. */
  @Test
  void aShortRotationPeriodWithAShorterMaxAgeIsAccepted() throws Exception {
    AuthServerConfig config = config("--rotation-period", "20s", "--jwks-max-age", "5s");
    assertThat(config.keys().rotationPeriod()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.keys().jwksMaxAge()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void thePublicUrlIsPublishedInsteadOfTheBindAddress() throws Exception {
    AuthServerConfig config = config("--public-url", "https://auth.example.com/");
    assertThat(config.http().publicUrl()).isEqualTo("https://auth.example.com");
    assertThat(config.publicUrl(9000)).isEqualTo("https://auth.example.com");
    assertThat(config.effectiveIssuer(9000)).isEqualTo("https://auth.example.com");
    assertThat(config("--issuer", "https://id.example.com").publicUrl(9000))
        .isEqualTo("https://id.example.com");
    assertThat(config().publicUrl(9000)).isEqualTo("http://localhost:9000");
  }

  @Test
  void theMetricsPortFlagAndItsVariable() throws Exception {
    assertThat(config("--metrics-port", "9464").http().metricsPort()).isEqualTo(9464);
    assertThat(config(Map.of("LATCHKEY_METRICS_PORT", "9465")).http().metricsPort())
        .isEqualTo(9465);
    // By default on its own loopback-bound port, never on the public one (issue 21 item 13).
    assertThat(config().http().metricsPort()).isEqualTo(9464);
    assertThat(config().http().metricsHost()).isEqualTo("127.0.0.1");
    assertThat(config("--metrics-host", "0.0.0.0").http().metricsHost()).isEqualTo("0.0.0.0");
    assertThat(config(Map.of("LATCHKEY_METRICS_HOST", "10.0.0.5")).http().metricsHost())
        .isEqualTo("10.0.0.5");
    assertThat(serve("--metrics-port", "70000")).isEqualTo(1);
    assertThat(err.toString()).contains("metrics port must be 0..65535");
  }

  @Test
  void withoutTheNewFlagsTheServerDefaultsApply() throws Exception {
    AuthServerConfig config = config();
    assertThat(config.delivery()).isEqualTo(DeliverySettings.defaults());
    assertThat(config.sessions()).isEqualTo(SessionSettings.defaults());
    assertThat(config.delivery().hostedLogin()).isTrue();
    assertThat(config.sessions().throttle().enabled()).isTrue();
    assertThat(config.sessions().refresh().enabled()).isFalse();
  }

  @Test
  void deliveryCookiesAndHostedLogin() throws Exception {
    AuthServerConfig config =
        config(
            "--delivery",
            "COOKIE",
            "--cookie-domain",
            "example.com",
            "--cookie-name",
            "lk",
            "--insecure-cookies",
            "--hosted-login=false",
            "--return-to",
            "https://app.example.com/app,https://admin.example.com",
            "--return-to",
            "http://localhost:4200",
            "--default-return-to",
            "https://app.example.com/app/");
    DeliverySettings delivery = config.delivery();
    assertThat(delivery.mode()).isEqualTo(DeliveryMode.COOKIE);
    assertThat(delivery.cookieDomain()).isEqualTo("example.com");
    assertThat(delivery.effectiveCookieName()).isEqualTo("lk");
    assertThat(delivery.insecureCookies()).isTrue();
    assertThat(delivery.hostedLogin()).isFalse();
    assertThat(delivery.returnToAllowList()).hasSize(3);
    assertThat(delivery.returnToAllowList().get(0)).startsWith("https://app.example.com");
    assertThat(delivery.defaultReturnTo()).isEqualTo("https://app.example.com/app/");
  }

  @Test
  void refreshSessions() throws Exception {
    AuthServerConfig config =
        config(
            "--refresh",
            "--access-token-length",
            "5m",
            "--refresh-idle",
            "12h",
            "--refresh-absolute",
            "30d",
            "--refresh-reuse-grace",
            "0s");
    RefreshSettings refresh = config.sessions().refresh();
    assertThat(refresh.enabled()).isTrue();
    assertThat(refresh.accessTokenLength()).isEqualTo(Duration.ofMinutes(5));
    assertThat(refresh.idleLifetime()).isEqualTo(Duration.ofHours(12));
    assertThat(refresh.absoluteLifetime()).isEqualTo(Duration.ofDays(30));
    assertThat(refresh.reuseGrace()).isZero();
    assertThat(config.sessions().tokenLength()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void refreshWithItsDefaults() throws Exception {
    assertThat(config("--refresh").sessions().refresh())
        .isEqualTo(RefreshSettings.on().withReuseGrace(Duration.ofSeconds(10)));
    assertThat(config("--refresh=false").sessions().refresh()).isEqualTo(RefreshSettings.OFF);
  }

  @Test
  void throttleProxiesAndRevocationFeed() throws Exception {
    AuthServerConfig config =
        config(
            "--throttle-account",
            "3",
            "--throttle-ip",
            "50",
            "--throttle-window",
            "1h",
            "--throttle-delay",
            "2s",
            "--throttle-max-delay",
            "5m",
            "--trusted-proxy",
            "10.0.0.0/8,::1",
            "--trusted-proxy",
            "192.168.1.2",
            "--revocation-poll-interval",
            "10s");
    ThrottleSettings throttle = config.sessions().throttle();
    assertThat(throttle)
        .isEqualTo(
            new ThrottleSettings(
                true, 3, 50, Duration.ofHours(1), Duration.ofSeconds(2), Duration.ofMinutes(5)));
    assertThat(config.sessions().trustedProxies())
        .containsExactly("10.0.0.0/8", "::1", "192.168.1.2");
    assertThat(config.sessions().revocationPollInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void noThrottleTurnsThrottlingOff() throws Exception {
    assertThat(config("--no-throttle").sessions().throttle()).isEqualTo(ThrottleSettings.off());
    assertThat(config("--throttle").sessions().throttle()).isEqualTo(ThrottleSettings.defaults());
  }

  @Test
  void environmentVariablesAreDefaults() throws Exception {
    AuthServerConfig config =
        config(
            Map.of(
                "LATCHKEY_DELIVERY", "both",
                "LATCHKEY_HOSTED_LOGIN", "false",
                "LATCHKEY_RETURN_TO", "https://a.example.com,https://b.example.com",
                "LATCHKEY_TRUSTED_PROXY", "10.0.0.1",
                "LATCHKEY_THROTTLE", "false",
                "LATCHKEY_REFRESH", "true",
                "LATCHKEY_REFRESH_IDLE", "2h"));
    assertThat(config.delivery().mode()).isEqualTo(DeliveryMode.BOTH);
    assertThat(config.delivery().hostedLogin()).isFalse();
    assertThat(config.delivery().returnToAllowList()).hasSize(2);
    assertThat(config.sessions().trustedProxies()).containsExactly("10.0.0.1");
    assertThat(config.sessions().throttle().enabled()).isFalse();
    assertThat(config.sessions().refresh().enabled()).isTrue();
    assertThat(config.sessions().refresh().idleLifetime()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void flagsWinOverTheEnvironment() throws Exception {
    AuthServerConfig config =
        config(
            Map.of("LATCHKEY_DELIVERY", "both", "LATCHKEY_THROTTLE", "false"),
            "--delivery",
            "body",
            "--throttle");
    assertThat(config.delivery().mode()).isEqualTo(DeliveryMode.BODY);
    assertThat(config.sessions().throttle().enabled()).isTrue();
  }

  @Test
  void aBadDeliveryWordIsAUsageError() {
    assertThat(serve("--delivery", "header")).isEqualTo(2);
    assertOneLine().contains("--delivery").contains("'header' is not body, cookie or both");
  }

  @Test
  void aBadDurationIsAUsageError() {
    assertThat(serve("--refresh-idle", "a day")).isEqualTo(2);
    assertOneLine().contains("--refresh-idle").contains("15m");
  }

  @Test
  void aWildcardReturnToIsRefused() {
    assertThat(serve("--return-to", "https://*.example.com")).isEqualTo(1);
    assertOneLine().startsWith("latchkey serve: ").contains("*.example.com");
  }

  @Test
  void inconsistentValuesAreRefusedNamingTheFlags() {
    assertThat(serve("--refresh", "--refresh-idle", "8d")).isEqualTo(1);
    assertOneLine().contains("--refresh-idle").contains("idleLifetime must not exceed");
    err.getBuffer().setLength(0);
    assertThat(serve("--throttle-delay", "10ms")).isEqualTo(1);
    assertOneLine().contains("--throttle").contains("baseDelay");
    err.getBuffer().setLength(0);
    assertThat(serve("--trusted-proxy", "proxy.internal")).isEqualTo(1);
    assertOneLine().contains("proxy.internal");
    err.getBuffer().setLength(0);
    assertThat(serve("--cookie-name", "__Host-lk", "--cookie-domain", "example.com")).isEqualTo(1);
    assertOneLine().contains("__Host-");
  }

  @Test
  void theParserRefusesWithoutStartingAServer() {
    assertThatThrownBy(() -> config("--delivery", "sometimes"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("sometimes");
  }

  private AbstractStringAssert<?> assertOneLine() {
    String text = err.toString().strip();
    assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(text.lines()).hasSize(1);
    return assertThat(text);
  }
}
