package dev.latchkey.server;

import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.throttle.ThrottleSettings;
import dev.latchkey.server.users.Argon2Params;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every setting of the auth server, immutable. Start from {@link #defaults()} and change what you
 * need with the {@code with...} methods.
 *
 * @param host the address the HTTP server binds to
 * @param port the HTTP port; 0 picks a free port
 * @param issuer the {@code iss} claim and discovery issuer; {@code null} means the base URL {@code
 *     http://<host>:<port>} ({@code localhost} for a wildcard host)
 * @param audience the {@code aud} claim
 * @param dbUrl JDBC URL; {@code null} means an H2 file database under {@code dataDir}
 * @param dbUser JDBC user name, may be {@code null}
 * @param dbPassword JDBC password, may be {@code null}
 * @param dbSchema the schema the tables live in (created by the migrations); {@code null} means the
 *     connection's default
 * @param dataDir folder for the embedded database and the generated master key
 * @param masterKeyFile file holding the base64 AES-256 master key; {@code null} means {@code
 *     LATCHKEY_MASTER_KEY}, else {@code dataDir/master.key} (generated on first start)
 * @param masterKey the base64 AES-256 master key itself; wins over the file when set
 * @param sessionLength lifetime of a session token ({@code exp - iat}) when refresh is off
 * @param sessions server-side sessions: refresh, brute-force throttling, trusted proxies,
 *     revocation feed ({@link SessionSettings})
 * @param algorithm JWS algorithm of new signing keys: RS256, PS256 or ES256
 * @param rotationPeriod how long a key signs before the next one takes over
 * @param jwksMaxAge how long verifiers may cache the JWK Set ({@code Cache-Control: max-age}); a
 *     new key is published at least this long before it signs
 * @param clockSkew tolerance added before a retired key disappears from the JWK Set
 * @param rotationCheckInterval how often the server looks at the rotation schedule
 * @param corsOrigins exact origins allowed to call the API from a browser (no wildcard)
 * @param signupEnabled whether {@code POST /api/signup} exists
 * @param passwordHashing Argon2id parameters for new hashes
 * @param hashThreads threads that hash passwords
 * @param hashQueue password hashes that may wait for a thread before logins get 503
 * @param clock the source of time for tokens and the rotation schedule
 * @param delivery how the session reaches the browser: delivery mode, session cookie, hosted login
 *     page (see {@link DeliverySettings})
 */
public record AuthServerConfig(
    String host,
    int port,
    String issuer,
    String audience,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String dbSchema,
    Path dataDir,
    Path masterKeyFile,
    String masterKey,
    Duration sessionLength,
    SessionSettings sessions,
    String algorithm,
    Duration rotationPeriod,
    Duration jwksMaxAge,
    Duration clockSkew,
    Duration rotationCheckInterval,
    List<String> corsOrigins,
    boolean signupEnabled,
    Argon2Params passwordHashing,
    int hashThreads,
    int hashQueue,
    Clock clock,
    DeliverySettings delivery) {

  /** The algorithms a signing key may use. */
  public static final Set<String> ALGORITHMS = Set.of("RS256", "PS256", "ES256");

  public static final int DEFAULT_PORT = 9000;

  public AuthServerConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (issuer != null && issuer.isBlank()) {
      throw new IllegalArgumentException("issuer must not be blank");
    }
    if (issuer != null && issuer.endsWith("/")) {
      issuer = issuer.substring(0, issuer.length() - 1);
    }
    requireText(audience, "audience");
    Objects.requireNonNull(dataDir, "dataDir");
    requirePositive(sessionLength, "sessionLength");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(algorithm, "algorithm");
    algorithm = algorithm.toUpperCase(Locale.ROOT);
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException(
          "algorithm must be one of " + ALGORITHMS + ", got " + algorithm);
    }
    requirePositive(rotationPeriod, "rotationPeriod");
    requirePositive(jwksMaxAge, "jwksMaxAge");
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clockSkew must not be negative");
    }
    requirePositive(rotationCheckInterval, "rotationCheckInterval");
    if (rotationPeriod.compareTo(jwksMaxAge.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "rotationPeriod must be at least twice jwksMaxAge, so a next key can be published"
              + " before it signs");
    }
    corsOrigins = List.copyOf(Objects.requireNonNull(corsOrigins, "corsOrigins"));
    for (String origin : corsOrigins) {
      if (origin.contains("*") || !origin.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException(
            "a CORS origin is scheme://host[:port] without wildcard or path, got " + origin);
      }
    }
    Objects.requireNonNull(passwordHashing, "passwordHashing");
    if (hashThreads < 1 || hashQueue < 0) {
      throw new IllegalArgumentException("hashThreads must be >= 1 and hashQueue >= 0");
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(delivery, "delivery");
  }

  /** Embedded defaults: port 9000, H2 under ./data, RS256, 2 h sessions, 30 day rotation. */
  public static AuthServerConfig defaults() {
    return new AuthServerConfig(
        "0.0.0.0",
        DEFAULT_PORT,
        null,
        "latchkey-demo",
        null,
        null,
        null,
        null,
        Path.of("data"),
        null,
        null,
        Duration.ofHours(2),
        SessionSettings.defaults(),
        "RS256",
        Duration.ofDays(30),
        Duration.ofHours(1),
        Duration.ofMinutes(1),
        Duration.ofMinutes(1),
        List.of(),
        false,
        Argon2Params.OWASP,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        64,
        Clock.systemUTC(),
        DeliverySettings.defaults());
  }

  /**
   * The URL this server is reached at on a port: {@code http://host:port}, with {@code localhost}
   * for a wildcard bind address.
   */
  public String baseUrl(int actualPort) {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    return "http://" + shown + ":" + (actualPort == 0 ? port : actualPort);
  }

  /** The issuer actually used: the configured one, else {@link #baseUrl(int)}. */
  public String effectiveIssuer(int actualPort) {
    return issuer != null ? issuer : baseUrl(actualPort);
  }

  /**
   * The JDBC URL actually used: the configured one, else an H2 file under {@link #dataDir}. {@code
   * WRITE_DELAY=0} makes H2 write every commit to the file before the commit returns; with H2's
   * default (a background write up to a second later) a killed process loses transactions it had
   * already committed, such as a signing key that has signed tokens, or a revocation.
   */
  public String effectiveDbUrl() {
    if (dbUrl != null) {
      return dbUrl;
    }
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("latchkey")
        + ";AUTO_SERVER=FALSE;WRITE_DELAY=0";
  }

  public AuthServerConfig withHost(String v) {
    return copy(d -> d.host = v);
  }

  public AuthServerConfig withPort(int v) {
    return copy(d -> d.port = v);
  }

  public AuthServerConfig withIssuer(String v) {
    return copy(d -> d.issuer = v);
  }

  public AuthServerConfig withAudience(String v) {
    return copy(d -> d.audience = v);
  }

  public AuthServerConfig withDbUrl(String v) {
    return copy(d -> d.dbUrl = v);
  }

  public AuthServerConfig withDbCredentials(String user, String password) {
    return copy(
        d -> {
          d.dbUser = user;
          d.dbPassword = password;
        });
  }

  public AuthServerConfig withDbSchema(String v) {
    return copy(d -> d.dbSchema = v);
  }

  public AuthServerConfig withDataDir(Path v) {
    return copy(d -> d.dataDir = v);
  }

  public AuthServerConfig withMasterKeyFile(Path v) {
    return copy(d -> d.masterKeyFile = v);
  }

  public AuthServerConfig withMasterKey(String base64) {
    return copy(d -> d.masterKey = base64);
  }

  public AuthServerConfig withSessionLength(Duration v) {
    return copy(d -> d.sessionLength = v);
  }

  public AuthServerConfig withAlgorithm(String v) {
    return copy(d -> d.algorithm = v);
  }

  public AuthServerConfig withRotationPeriod(Duration v) {
    return copy(d -> d.rotationPeriod = v);
  }

  public AuthServerConfig withJwksMaxAge(Duration v) {
    return copy(d -> d.jwksMaxAge = v);
  }

  public AuthServerConfig withClockSkew(Duration v) {
    return copy(d -> d.clockSkew = v);
  }

  public AuthServerConfig withRotationCheckInterval(Duration v) {
    return copy(d -> d.rotationCheckInterval = v);
  }

  public AuthServerConfig withCorsOrigins(List<String> v) {
    return copy(d -> d.corsOrigins = v);
  }

  public AuthServerConfig withSignupEnabled(boolean v) {
    return copy(d -> d.signupEnabled = v);
  }

  public AuthServerConfig withPasswordHashing(Argon2Params v) {
    return copy(d -> d.passwordHashing = v);
  }

  public AuthServerConfig withHashPool(int threads, int queue) {
    return copy(
        d -> {
          d.hashThreads = threads;
          d.hashQueue = queue;
        });
  }

  public AuthServerConfig withClock(Clock v) {
    return copy(d -> d.clock = v);
  }

  /** Replaces every delivery setting at once. */
  public AuthServerConfig withDeliverySettings(DeliverySettings v) {
    return copy(d -> d.delivery = v);
  }

  /**
   * {@code body} (default), {@code cookie} or {@code both}: how {@code POST /api/login} answers.
   */
  public AuthServerConfig withDelivery(DeliveryMode v) {
    return withDeliverySettings(delivery.withMode(v));
  }

  /** The session cookie's name; {@code null} for the default ({@code __Host-latchkey}). */
  public AuthServerConfig withCookieName(String v) {
    return withDeliverySettings(delivery.withCookieName(v));
  }

  /** The cookies' {@code Domain}; {@code null} (default) for host-only cookies. */
  public AuthServerConfig withCookieDomain(String v) {
    return withDeliverySettings(delivery.withCookieDomain(v));
  }

  /** Drops {@code Secure} from the cookies (plain-HTTP development only; warned at start). */
  public AuthServerConfig withInsecureCookies(boolean v) {
    return withDeliverySettings(delivery.withInsecureCookies(v));
  }

  /** Whether the hosted login page ({@code GET/POST /login}) exists (default on). */
  public AuthServerConfig withHostedLogin(boolean v) {
    return withDeliverySettings(delivery.withHostedLogin(v));
  }

  /** Where the hosted login page may redirect: {@code http(s)://host[:port][/path]} entries. */
  public AuthServerConfig withReturnToAllowList(List<String> v) {
    return withDeliverySettings(delivery.withReturnToAllowList(v));
  }

  /** Where the hosted login page redirects otherwise (default {@code /login/done}). */
  public AuthServerConfig withDefaultReturnTo(String v) {
    return withDeliverySettings(delivery.withDefaultReturnTo(v));
  }

  public AuthServerConfig withSessions(SessionSettings v) {
    return copy(d -> d.sessions = v);
  }

  /** Refresh sessions ({@link RefreshSettings#on()}); {@link RefreshSettings#OFF} by default. */
  public AuthServerConfig withRefresh(RefreshSettings v) {
    return withSessions(sessions.withRefresh(v));
  }

  /** Brute-force throttling; {@link ThrottleSettings#defaults()} (on) by default. */
  public AuthServerConfig withThrottle(ThrottleSettings v) {
    return withSessions(sessions.withThrottle(v));
  }

  /** Reverse proxies (addresses or CIDR ranges) whose {@code X-Forwarded-For} is believed. */
  public AuthServerConfig withTrustedProxies(List<String> v) {
    return withSessions(sessions.withTrustedProxies(v));
  }

  /** {@code max-age} of the revocation feed and the poll interval advised to verifiers (30 s). */
  public AuthServerConfig withRevocationPollInterval(Duration v) {
    return withSessions(sessions.withRevocationPollInterval(v));
  }

  /**
   * Lifetime of the tokens this server signs: the refresh settings' access token length when
   * refresh is on, else {@link #sessionLength}.
   */
  public Duration tokenLength() {
    return sessions.refresh().enabled() ? sessions.refresh().accessTokenLength() : sessionLength;
  }

  /** This config with some settings changed: the one place that lists every setting for a copy. */
  private AuthServerConfig copy(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return d.build();
  }

  /** The settings of a config being copied; {@link #build()} validates them again. */
  private static final class Draft {
    String host;
    int port;
    String issuer;
    String audience;
    String dbUrl;
    String dbUser;
    String dbPassword;
    String dbSchema;
    Path dataDir;
    Path masterKeyFile;
    String masterKey;
    Duration sessionLength;
    SessionSettings sessions;
    String algorithm;
    Duration rotationPeriod;
    Duration jwksMaxAge;
    Duration clockSkew;
    Duration rotationCheckInterval;
    List<String> corsOrigins;
    boolean signupEnabled;
    Argon2Params passwordHashing;
    int hashThreads;
    int hashQueue;
    Clock clock;
    DeliverySettings delivery;

    Draft(AuthServerConfig c) {
      host = c.host;
      port = c.port;
      issuer = c.issuer;
      audience = c.audience;
      dbUrl = c.dbUrl;
      dbUser = c.dbUser;
      dbPassword = c.dbPassword;
      dbSchema = c.dbSchema;
      dataDir = c.dataDir;
      masterKeyFile = c.masterKeyFile;
      masterKey = c.masterKey;
      sessionLength = c.sessionLength;
      sessions = c.sessions;
      algorithm = c.algorithm;
      rotationPeriod = c.rotationPeriod;
      jwksMaxAge = c.jwksMaxAge;
      clockSkew = c.clockSkew;
      rotationCheckInterval = c.rotationCheckInterval;
      corsOrigins = c.corsOrigins;
      signupEnabled = c.signupEnabled;
      passwordHashing = c.passwordHashing;
      hashThreads = c.hashThreads;
      hashQueue = c.hashQueue;
      clock = c.clock;
      delivery = c.delivery;
    }

    AuthServerConfig build() {
      return new AuthServerConfig(
          host,
          port,
          issuer,
          audience,
          dbUrl,
          dbUser,
          dbPassword,
          dbSchema,
          dataDir,
          masterKeyFile,
          masterKey,
          sessionLength,
          sessions,
          algorithm,
          rotationPeriod,
          jwksMaxAge,
          clockSkew,
          rotationCheckInterval,
          corsOrigins,
          signupEnabled,
          passwordHashing,
          hashThreads,
          hashQueue,
          clock,
          delivery);
    }
  }

  /** Hides the secrets so that a logged config never shows them. */
  @Override
  public String toString() {
    return "AuthServerConfig[host="
        + host
        + ", port="
        + port
        + ", issuer="
        + issuer
        + ", audience="
        + audience
        + ", db="
        + redactUrl(effectiveDbUrl())
        + ", dbSchema="
        + dbSchema
        + ", dataDir="
        + dataDir
        + ", masterKeyFile="
        + masterKeyFile
        + ", masterKey="
        + (masterKey == null ? "unset" : "***")
        + ", sessionLength="
        + sessionLength
        + ", sessions="
        + sessions
        + ", algorithm="
        + algorithm
        + ", rotationPeriod="
        + rotationPeriod
        + ", jwksMaxAge="
        + jwksMaxAge
        + ", clockSkew="
        + clockSkew
        + ", corsOrigins="
        + corsOrigins
        + ", signupEnabled="
        + signupEnabled
        + ", passwordHashing="
        + passwordHashing
        + ", hashThreads="
        + hashThreads
        + ", hashQueue="
        + hashQueue
        + ", "
        + delivery
        + "]";
  }

  private static String redactUrl(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
