package dev.latchkey.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Scale-out for real: three {@code latchkey serve} processes (separate JVMs) on one PostgreSQL
 * cluster of the test's own, Debian's nginx in front of them as the load balancer, two {@code
 * latchkey app} processes reading the JWK Set and the revocation feed through nginx, and a mixed
 * load of logins, refreshes, protected requests and logouts, through faults: an auth server killed
 * with SIGKILL, PostgreSQL restarted, every auth server down. Each step prints its numbers.
 *
 * <p>The steps run in order on one set of processes (the later ones build on the earlier ones);
 * {@code mvn -pl scale -am verify -Dskip.npm} runs it. Without nginx or PostgreSQL it is skipped
 * with a message; {@code -Dscale.tests.required=true} (CI) makes that a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ScaleOutTest {

  private static final int INSTANCES = 3;
  private static final int HASH_THREADS = 2;
  private static final int THROTTLE_ACCOUNT = 5;
  private static final int LOAD_CLIENTS = 4;
  private static final int KEPT_PER_INSTANCE = 4;
  private static final Duration JWKS_MAX_AGE = Duration.ofSeconds(5);

  /** How often the application servers poll the revocation feed. */
  private static final Duration REVOCATION_POLL = Duration.ofSeconds(1);

  /** The feed's max-age: the auth servers' --revocation-poll-interval. */
  private static final Duration FEED_MAX_AGE = Duration.ofSeconds(1);

  /**
   * How long after a logout the application servers may still accept its token: the stated bound
   * (docs/security.md: poll interval + feed max-age) plus one poll interval of slack.
   */
  private static final Duration REVOCATION_ALLOWED =
      REVOCATION_POLL.plus(FEED_MAX_AGE).plus(REVOCATION_POLL);

  /** Fixed in the auth server (not a flag): its first scheduled rotation check is this late. */
  private static final Duration ROTATION_CHECK = Duration.ofSeconds(60);

  private static final Duration READY = Duration.ofSeconds(150);

  private final Teardown teardown = new Teardown();
  private final Api api = new Api();
  private final List<LatchkeyProcess> auth = new ArrayList<>();
  private final List<LatchkeyProcess> apps = new ArrayList<>();
  private final List<Integer> authPorts = new ArrayList<>();
  private final Map<String, String> passwords = new LinkedHashMap<>();
  private final List<Api.Session> kept = new ArrayList<>();
  private final List<Api.Session> newKeySessions = new ArrayList<>();
  private final Instant began = Instant.now();

  private Path jar;
  private Path runDir;
  private Path masterKeyFile;
  private PostgresCluster postgres;
  private Nginx nginx;
  private String proxy;
  private String newKid;
  private Instant published;

  // ---- set-up -------------------------------------------------------------------------------

  @BeforeAll
  void start() throws Exception {
    requirePrerequisites();
    runDir = Path.of("target", "scale-run").toAbsolutePath();
    PostgresCluster.deleteTree(runDir);
    Files.createDirectories(runDir);
    section("set-up (logs: " + runDir + ")");

    postgres = teardown.add(PostgresCluster.start());
    postgres.keepLogAt(runDir.resolve("postgresql.log"));
    say("PostgreSQL %s", postgres);

    masterKeyFile = runDir.resolve("master.key");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.writeString(masterKeyFile, Base64.getEncoder().encodeToString(key));
    Files.setPosixFilePermissions(masterKeyFile, PosixFilePermissions.fromString("rw-------"));

    for (int i = 0; i < INSTANCES; i++) {
      authPorts.add(Ports.free());
    }
    int proxyPort = Ports.free();
    nginx = teardown.add(Nginx.start(runDir.resolve("nginx"), proxyPort, authPorts));
    proxy = nginx.url();
    say("nginx %s -> auth servers on ports %s", proxy, authPorts);

    // All three start at once on the empty database, as replicas of a deployment do.
    for (int i = 0; i < INSTANCES; i++) {
      auth.add(launchAuthServer(i));
    }
    auth.get(0).awaitReady(READY);
    say("%s ready after %.1f s", auth.get(0), seconds(began, auth.get(0).readyAt()));
    // The application servers need one auth server behind the proxy for the JWK Set.
    for (int i = 0; i < 2; i++) {
      int port = Ports.free();
      apps.add(
          teardown.add(
              LatchkeyProcess.launch(
                  "app" + (i + 1),
                  LatchkeyProcess.appCommand(
                      jar,
                      runDir,
                      List.of(
                          "app",
                          "--port",
                          String.valueOf(port),
                          "--auth-url",
                          proxy,
                          "--revocation-poll-interval",
                          REVOCATION_POLL.toSeconds() + "s")),
                  runDir.resolve("app" + (i + 1) + ".log"),
                  port,
                  "/api/status")));
    }
    for (LatchkeyProcess server : List.of(auth.get(1), auth.get(2), apps.get(0), apps.get(1))) {
      server.awaitReady(READY);
      say("%s ready after %.1f s", server, seconds(began, server.readyAt()));
    }

    List<String> users = new ArrayList<>(List.of("journey", "throttled", "rotation"));
    for (int i = 0; i < LOAD_CLIENTS; i++) {
      users.add("load" + i);
    }
    for (int i = 0; i < INSTANCES * KEPT_PER_INSTANCE; i++) {
      users.add("kept" + i);
    }
    for (String user : users) {
      passwords.put(
          user, "scale-test " + user + " " + Long.toHexString(new SecureRandom().nextLong()));
    }
    ExecutorService signups = Executors.newFixedThreadPool(INSTANCES);
    try {
      List<Future<Api.Outcome>> answers = new ArrayList<>();
      for (String user : users) {
        answers.add(
            signups.submit(
                () -> api.signup(proxy, user + "@scale.example.com", passwords.get(user))));
      }
      for (int i = 0; i < users.size(); i++) {
        Api.Outcome signup = answers.get(i).get();
        assertThat(signup.status())
            .as("sign-up of %s: %s", users.get(i), signup.body())
            .isEqualTo(201);
      }
    } finally {
      signups.shutdownNow();
    }
    say("%d users signed up through the proxy; set-up took %.1f s", users.size(), since(began));
  }

  private void requirePrerequisites() {
    String jarProperty = System.getProperty("latchkey.jar");
    if (jarProperty == null || !Files.isRegularFile(Path.of(jarProperty))) {
      fail(
          "latchkey.jar not found at "
              + jarProperty
              + ": run through Maven (mvn -pl scale -am verify), which builds the cli first");
    }
    jar = Path.of(jarProperty).toAbsolutePath().normalize();
    boolean required = Boolean.getBoolean("scale.tests.required");
    Optional<String> noPostgres = PostgresCluster.whyUnavailable();
    if (noPostgres.isPresent()) {
      if (required || Boolean.getBoolean("postgres.tests.required")) {
        fail("the scale test is required but cannot run: " + noPostgres.get());
      }
      Assumptions.abort("Scale test skipped: " + noPostgres.get());
    }
    if (Nginx.binary() == null) {
      String why = "no nginx on the PATH (apt-get install nginx)";
      if (required) {
        fail("the scale test is required but cannot run: " + why);
      }
      Assumptions.abort("Scale test skipped: " + why);
    }
  }

  private LatchkeyProcess launchAuthServer(int index) throws IOException {
    int port = authPorts.get(index);
    String name = "auth" + (index + 1);
    Path dataDir = runDir.resolve(name);
    Files.createDirectories(dataDir);
    List<String> args =
        List.of(
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--metrics-port",
            "0", // several instances on one host
            "--issuer",
            proxy,
            "--db-url",
            postgres.jdbcUrl(),
            "--db-user",
            PostgresCluster.USER,
            "--data-dir",
            dataDir.toString(),
            "--master-key-file",
            masterKeyFile.toString(),
            "--signup",
            // Every test user signs up from this one loopback address.
            "--signup-limit",
            "1000",
            "--require-verified-email=false",
            "--refresh",
            "--trusted-proxy",
            "127.0.0.1",
            "--hash-threads",
            String.valueOf(HASH_THREADS),
            "--throttle-account",
            String.valueOf(THROTTLE_ACCOUNT),
            // A first lock far longer than the burst, so every 429 of it is the threshold's doing.
            "--throttle-delay",
            "1m",
            "--jwks-max-age",
            JWKS_MAX_AGE.toSeconds() + "s",
            "--revocation-poll-interval",
            FEED_MAX_AGE.toSeconds() + "s");
    return teardown.add(
        LatchkeyProcess.launch(
            name,
            LatchkeyProcess.command(jar, args),
            runDir.resolve(name + ".log"),
            port,
            "/health"));
  }

  @AfterAll
  void stop() {
    teardown.close();
    if (runDir != null) {
      say("tear-down: every process stopped; logs in %s; whole run %.1f s", runDir, since(began));
    }
  }

  // ---- the steps ----------------------------------------------------------------------------

  @Test
  @Order(1)
  void aSessionStartedOnOneInstanceIsRefreshedOnAnotherAndEndedOnAThird() throws Exception {
    section("one session, three instances (direct to each instance's port)");
    LatchkeyProcess first = auth.get(0);
    LatchkeyProcess second = auth.get(1);
    LatchkeyProcess third = auth.get(2);
    String email = "journey@scale.example.com";

    Api.Outcome login = api.login(first.url(), email, passwords.get("journey"), null);
    assertThat(login.status()).as("login on %s: %s", first.name(), login.body()).isEqualTo(200);
    Api.Session session = Api.session(email, login);
    String sid = session.sid();
    say("login   on %s: 200, sid %s", first.name(), sid);

    String before = session.idToken;
    Api.Outcome refresh = api.refresh(second.url(), session);
    assertThat(refresh.status())
        .as("refresh on %s: %s", second.name(), refresh.body())
        .isEqualTo(200);
    assertThat(session.sid()).isEqualTo(sid);
    assertThat(session.idToken).isNotEqualTo(before);
    say("refresh on %s: 200, same sid, new token", second.name());

    for (LatchkeyProcess app : apps) {
      Api.Outcome lessons = api.lessons(app.url(), session.idToken);
      assertThat(lessons.status()).as("%s /api/lessons", app.name()).isEqualTo(200);
    }
    say("GET /api/lessons with it on app1 and app2: 200, 200");

    Api.Outcome logout = api.logout(third.url(), session);
    assertThat(logout.status()).as("logout on %s: %s", third.name(), logout.body()).isEqualTo(204);
    Instant loggedOut = Instant.now();
    say("logout  on %s: 204", third.name());

    Api.Outcome status = api.sessionStatus(first.url(), session.idToken);
    assertThat(status.status()).as("GET /api/session on %s", first.name()).isEqualTo(401);
    Api.Outcome again = api.refresh(first.url(), session);
    assertThat(again.status()).as("refresh after logout: %s", again.body()).isEqualTo(401);
    say(
        "after it: GET /api/session on %s 401 %s; refresh on %s 401 %s",
        first.name(), status.error(), first.name(), again.error());

    // The application servers learn it from the revocation feed, within the stated bound.
    double allowed = REVOCATION_ALLOWED.toMillis() / 1000.0;
    for (LatchkeyProcess app : apps) {
      Api.Outcome refused = api.lessons(app.url(), session.idToken);
      double after = since(loggedOut);
      while (!refused.is(401) && after <= allowed) {
        Thread.sleep(50);
        refused = api.lessons(app.url(), session.idToken);
        after = since(loggedOut);
      }
      say(
          "%s refuses the logged-out token %.1f s after the logout: %d %s (bound: poll %d s +"
              + " max-age %d s, allowed one more poll: %.1f s)",
          app.name(),
          after,
          refused.status(),
          refused.error(),
          REVOCATION_POLL.toSeconds(),
          FEED_MAX_AGE.toSeconds(),
          allowed);
      assertThat(refused.status()).as("%s after logout", app.name()).isEqualTo(401);
      assertThat(after).as("seconds until %s refuses it", app.name()).isLessThanOrEqualTo(allowed);
    }
  }

  @Test
  @Order(2)
  void everyInstanceServesTheSameJwkSetAndOneCreatedTheFirstKey() throws Exception {
    section("one JWK Set");
    JsonNode reference = assertSameJwkSet(auth);
    say("all %d instances and the proxy serve kids %s", auth.size(), kids(reference));
    Map<String, List<String>> changes = keyChanges();
    List<String> created =
        changes.keySet().stream().filter(c -> c.startsWith("created key ")).toList();
    say("first key, created at start-up by: %s", whoDid(changes, created));
    assertThat(created).as("keys created at start-up").hasSize(1);
    assertThat(changes.get(created.get(0))).as("instances that created it").hasSize(1);
  }

  @Test
  @Order(3)
  void throttlingCountsAcrossInstances() throws Exception {
    section("throttling across instances");
    int perThread = 5;
    int clients = INSTANCES * HASH_THREADS;
    String email = "throttled@scale.example.com";
    Map<String, AtomicInteger> byOutcome = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> unauthorizedBy = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      LatchkeyProcess target = auth.get(t % INSTANCES);
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  // One attacker address (the instances trust 127.0.0.1's X-Forwarded-For).
                  Api.Outcome o =
                      api.login(target.url(), email, "wrong password " + i, "203.0.113.7");
                  byOutcome.computeIfAbsent(o.label(), k -> new AtomicInteger()).incrementAndGet();
                  if (o.is(401)) {
                    unauthorizedBy
                        .computeIfAbsent(target.name(), k -> new AtomicInteger())
                        .incrementAndGet();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    Instant start = Instant.now();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    int unauthorized = byOutcome.getOrDefault("401 invalid_credentials", new AtomicInteger()).get();
    int tooMany = byOutcome.getOrDefault("429 too_many_attempts", new AtomicInteger()).get();
    say(
        "%d wrong passwords for one account from %d parallel clients over %d instances in %.1f s:"
            + " %s (401s by instance: %s); threshold %d",
        clients * perThread,
        clients,
        INSTANCES,
        since(start),
        new TreeMap<>(byOutcome),
        new TreeMap<>(unauthorizedBy),
        THROTTLE_ACCOUNT);
    assertThat(byOutcome.keySet())
        .as("outcomes")
        .containsOnly("401 invalid_credentials", "429 too_many_attempts");
    assertThat(unauthorized).as("401s: the threshold's worth at least").isGreaterThanOrEqualTo(5);
    assertThat(tooMany).as("429s").isPositive();
    // Each attempt reserves its place (row locks in PostgreSQL, shared by the instances) before its
    // password is hashed: however the attempts race, no more than the threshold get hashed.
    say("401s: %d; bound: the threshold, %d", unauthorized, THROTTLE_ACCOUNT);
    assertThat(unauthorized).as("401s across instances").isLessThanOrEqualTo(THROTTLE_ACCOUNT);
  }

  @Test
  @Order(4)
  void anOperatorCommandPublishesTheNextKeyToEveryInstance() throws Exception {
    section("key rotation, 1: `latchkey keys rotate` publishes the next key");
    // A separate process on the same database. The next key may sign one JWKS max-age after its
    // publication; the instances' own schedules make the switch (step 7): each checks every 60 s
    // (fixed, from its start), so the key is published now, well before the first check.
    Command.Result rotate =
        Command.runOrFail(
            LatchkeyProcess.command(jar, storeArgs("keys", "rotate")), Duration.ofSeconds(60));
    List<String> printed = commandLines(rotate);
    say("latchkey keys rotate: %s", printed);
    newKid =
        printed.stream()
            .filter(l -> l.startsWith("published next key "))
            .map(l -> l.split(" ")[3])
            .findFirst()
            .orElse(null);
    assertThat(newKid).as("the next key `keys rotate` published").isNotNull();
    Instant rotated = Instant.now();
    awaitInEveryJwkSet(auth, newKid);
    say("the next key shows in every instance's JWK Set after %.1f s", since(rotated));
    JsonNode withNext = assertSameJwkSet(auth);
    say("all %d instances and the proxy serve kids %s", auth.size(), kids(withNext));
    assertThat(kids(withNext)).contains(newKid);

    long[] times = keyTimes(newKid);
    published = Instant.ofEpochMilli(times[0]);
    Duration lead = Duration.ofMillis(times[1] - times[0]);
    if (lead.compareTo(JWKS_MAX_AGE) > 0) {
      // The operator command has no --jwks-max-age and the setting is not in the database: it
      // schedules the switch with its own default (1 h), not the servers' 5 s. Moving the
      // activation to what the shared setting gives stands in for that hour.
      say(
          "REPORTED, NOT ASSERTED: `keys rotate` scheduled the switch %d s after publication (its"
              + " default JWKS max-age), not the servers' --jwks-max-age %d s; the test sets"
              + " activates_at to publication + %d s, as the shared setting would",
          lead.toSeconds(), JWKS_MAX_AGE.toSeconds(), JWKS_MAX_AGE.toSeconds());
      setActivation(newKid, times[0] + JWKS_MAX_AGE.toMillis());
    }
  }

  @Test
  @Order(5)
  void aKilledAuthServerLosesNoSession() throws Exception {
    section("kill -9 of one auth server mid-load");
    // Sessions started on each instance directly, the one about to die included.
    ExecutorService logins = Executors.newFixedThreadPool(INSTANCES);
    try {
      List<Future<Api.Session>> started = new ArrayList<>();
      for (int i = 0; i < INSTANCES * KEPT_PER_INSTANCE; i++) {
        LatchkeyProcess server = auth.get(i % INSTANCES);
        String user = "kept" + i;
        started.add(
            logins.submit(
                () -> {
                  String email = user + "@scale.example.com";
                  Api.Outcome login = api.login(server.url(), email, passwords.get(user), null);
                  assertThat(login.status())
                      .as("login of %s on %s", email, server.name())
                      .isEqualTo(200);
                  return Api.session(email, login);
                }));
      }
      for (Future<Api.Session> session : started) {
        kept.add(session.get());
      }
    } finally {
      logins.shutdownNow();
    }
    say("%d sessions started, %d on each instance", kept.size(), KEPT_PER_INSTANCE);

    LatchkeyProcess victim = auth.get(2);
    Tally tally = new Tally("kill", "before-kill");
    MixedLoad load = load(tally, kept).start();
    Thread.sleep(3_000);
    tally.window("after-kill");
    victim.kill9();
    say("killed %s with SIGKILL", victim);
    Thread.sleep(5_000);
    load.stop();
    print(tally.report());

    int lost = 0;
    for (Api.Session session : kept) {
      Api.Outcome refresh = api.refresh(proxy, session);
      if (!refresh.is(200)) {
        lost++;
        say("session %s lost: refresh %d %s", session.sid(), refresh.status(), refresh.body());
      }
    }
    long errors = tally.unexpected(null);
    long retried = countLines(nginx.errorLog(), "127.0.0.1:" + victim.port());
    // Each client has one request in flight at a time; only a request the dying server had already
    // received can fail (nginx sends the others to the next server), so at most one per client.
    int bound = load.clients();
    say(
        "sessions lost: %d of %d; unexpected outcomes: %d of %d requests (bound: %d, one per client"
            + " in flight at the kill); nginx logged %d failures of %s and moved on",
        lost, kept.size(), errors, tally.total(), bound, retried, victim.name());
    assertThat(lost).as("sessions lost").isZero();
    assertThat(errors).as("unexpected outcomes around the kill").isLessThanOrEqualTo(bound);
    assertThat(tally.count("after-kill", "kept-refresh", "200"))
        .as("refreshes after the kill")
        .isPositive();
  }

  @Test
  @Order(6)
  void aPostgresRestartGives503sThenFullService() throws Exception {
    section("PostgreSQL restart mid-load (no restart of Latchkey)");
    Tally tally = new Tally("postgres", "db-up");
    MixedLoad load = load(tally, kept).start();
    Thread.sleep(2_000);
    tally.window("db-down");
    postgres.stopServer();
    Instant down = Instant.now();
    say("PostgreSQL stopped (pg_ctl stop -m fast)");
    Thread.sleep(4_000);
    postgres.startServer();
    tally.window("db-back");
    Instant up = Instant.now();
    say("PostgreSQL started again after %.1f s down", seconds(down, up));
    Thread.sleep(4_000);
    load.stop();
    print(tally.report());

    // Full service: a whole session through the proxy, and a login on each live instance.
    double recovered = -1;
    while (since(up) < 30) {
      if (fullService()) {
        recovered = since(up);
        break;
      }
      Thread.sleep(250);
    }
    say("full service (login, refresh, lessons, logout) %.1f s after PostgreSQL was up", recovered);
    int lost = 0;
    for (Api.Session session : kept) {
      if (!api.refresh(proxy, session).is(200)) {
        lost++;
      }
    }
    long serverErrors = tally.count(null, null, "500");
    long unavailable = tally.count("db-down", null, "503");
    long lessonsDown =
        tally.count("db-down", "lessons", null) + tally.count("db-down", "kept-lessons", null);
    long lessonsDownOk =
        tally.count("db-down", "lessons", "200") + tally.count("db-down", "kept-lessons", "200");
    say(
        "while down: %d answers 503; 500s in the whole phase: %d; protected requests while down:"
            + " %d of %d 200; sessions lost: %d of %d",
        unavailable, serverErrors, lessonsDownOk, lessonsDown, lost, kept.size());
    assertThat(recovered)
        .as("seconds to full service after PostgreSQL is back")
        .isBetween(0.0, 30.0);
    assertThat(unavailable).as("503s while PostgreSQL is down").isPositive();
    assertThat(serverErrors).as("500s around the PostgreSQL restart").isZero();
    assertThat(lessonsDownOk)
        .as("protected requests while PostgreSQL is down")
        .isEqualTo(lessonsDown);
    assertThat(lost).as("sessions lost to the PostgreSQL restart").isZero();
  }

  private boolean fullService() {
    String email = "rotation@scale.example.com";
    Api.Outcome login = api.login(proxy, email, passwords.get("rotation"), null);
    if (!login.is(200)) {
      return false;
    }
    Api.Session session = Api.session(email, login);
    return api.refresh(proxy, session).is(200)
        && api.lessons(apps.get(0).url(), session.idToken).is(200)
        && api.logout(proxy, session).is(204);
  }

  @Test
  @Order(7)
  void exactlyOneInstanceSwitchesKeysUnderLoadAndAllServeTheSameKeys() throws Exception {
    section("key rotation, 2: the scheduled switch, under a mixed load through the proxy");
    assertThat(newKid).as("the next key of step 4").isNotNull();
    Instant activatesAt = Instant.ofEpochMilli(keyTimes(newKid)[1]);
    // The instances that ran from the start check at their start + k x 60 s.
    List<LatchkeyProcess> running = auth.stream().filter(LatchkeyProcess::isAlive).toList();
    Instant expected =
        running.stream()
            .map(server -> firstCheckAfter(server.readyAt(), activatesAt))
            .min(Instant::compareTo)
            .orElseThrow();
    Tally tally = new Tally("rotation", "before-switch");
    MixedLoad load = load(tally, List.of());
    Instant loadStart;
    if ("ACTIVE".equals(keyState(newKid))) {
      say("%s switched already, during the earlier steps", newKid);
      tally.window("after-switch");
      loadStart = Instant.now();
      load.start();
    } else {
      say(
          "the next key may sign since %.1f s; the first scheduled check after that comes in"
              + " about %.1f s; the load starts 5 s before it",
          seconds(activatesAt, Instant.now()), seconds(Instant.now(), expected));
      long idle = Duration.between(Instant.now(), expected.minusSeconds(5)).toMillis();
      if (idle > 0) {
        Thread.sleep(idle);
      }
      loadStart = Instant.now();
      load.start();
      // The checks drift by their own duration; one that met the database outage retries 60 s
      // later.
      Instant deadline = expected.plus(ROTATION_CHECK).plusSeconds(15);
      while (!"ACTIVE".equals(keyState(newKid)) && Instant.now().isBefore(deadline)) {
        Thread.sleep(250);
      }
      tally.window("after-switch");
      say("%s is %s, %.1f s after its publication", newKid, keyState(newKid), since(published));
    }
    Thread.sleep(3_000);
    load.stop();
    print(tally.report());
    say(
        "%d requests in %.1f s from %d clients across the switch; unexpected outcomes: %d",
        tally.total(), since(loadStart), load.clients(), tally.unexpected(null));
    assertThat(keyState(newKid)).as("state of %s", newKid).isEqualTo("ACTIVE");
    assertThat(tally.unexpected(null)).as("unexpected outcomes across the switch").isZero();
    assertThat(tally.count("after-switch", "lessons", "200"))
        .as("protected requests with tokens of the new key")
        .isPositive();

    Map<String, List<String>> changes = keyChanges();
    changes.forEach((change, who) -> say("  logged by %s: %s", who, change));
    assertThat(changes.get("key " + newKid + " now signs (was next)"))
        .as("instances that switched to %s", newKid)
        .hasSize(1);
    changes.forEach(
        (change, who) -> assertThat(who).as("instances that did '%s'", change).hasSize(1));
    Map<String, Long> states = keyStates();
    say("signing keys in the database by state: %s", states);
    assertThat(states.get("ACTIVE")).as("active keys").isEqualTo(1L);

    // The instance killed in step 5 comes back (as an orchestrator would restart it, on the same
    // port) into the rotated key set and the sessions it never saw.
    Instant restart = Instant.now();
    LatchkeyProcess restarted = launchAuthServer(2);
    auth.set(2, restarted);
    restarted.awaitReady(READY);
    say("%s restarted, ready after %.1f s", restarted.name(), since(restart));
    for (Api.Session session : kept) {
      Api.Outcome refresh = api.refresh(restarted.url(), session);
      assertThat(refresh.status())
          .as("refresh on the restarted %s: %s", restarted.name(), refresh.body())
          .isEqualTo(200);
    }
    say("all %d kept sessions refresh on the restarted %s", kept.size(), restarted.name());

    JsonNode jwks = assertSameJwkSet(auth);
    say("all %d instances and the proxy serve kids %s", auth.size(), kids(jwks));
    assertThat(kids(jwks)).contains(newKid).hasSize(2); // the retired key stays published
    for (LatchkeyProcess server : auth) {
      String email = "rotation@scale.example.com";
      Api.Outcome login = api.login(server.url(), email, passwords.get("rotation"), null);
      assertThat(login.status()).as("login on %s", server.name()).isEqualTo(200);
      Api.Session session = Api.session(email, login);
      assertThat(session.kid()).as("kid of a token from %s", server.name()).isEqualTo(newKid);
      newKeySessions.add(session);
      for (LatchkeyProcess app : apps) {
        assertThat(api.lessons(app.url(), session.idToken).status())
            .as("%s with a token of the new key", app.name())
            .isEqualTo(200);
      }
    }
    say("a login on each instance is signed by %s; both app servers accept it", newKid);
  }

  @Test
  @Order(8)
  void applicationServersServeValidTokensWhileEveryAuthServerIsDown() throws Exception {
    section("every auth server down");
    for (LatchkeyProcess server : auth) {
      server.kill9();
    }
    Api.Outcome jwks = api.get(proxy + "/.well-known/jwks.json", null);
    say("auth servers killed; the proxy's JWKS answers %d", jwks.status());
    List<Api.Session> sessions = new ArrayList<>(kept);
    sessions.addAll(newKeySessions);
    Tally tally = new Tally("auth-down", "auth-down");
    Instant start = Instant.now();
    int i = 0;
    while (since(start) < 5) {
      Api.Session session = sessions.get(i % sessions.size());
      LatchkeyProcess app = apps.get(i++ % apps.size());
      tally.record("auth-down", "lessons", api.lessons(app.url(), session.idToken));
    }
    print(tally.report());
    say(
        "%d protected requests in 5 s with %d valid tokens (old and new key), no auth server up",
        tally.total(), sessions.size());
    assertThat(jwks.status())
        .as("JWKS through the proxy with every auth server down")
        .isEqualTo(502);
    assertThat(tally.unexpected(null)).as("refused protected requests").isZero();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private MixedLoad load(Tally tally, List<Api.Session> keptSessions) {
    List<String[]> users = new ArrayList<>();
    for (int i = 0; i < LOAD_CLIENTS; i++) {
      users.add(new String[] {"load" + i + "@scale.example.com", passwords.get("load" + i)});
    }
    return new MixedLoad(
        api, proxy, apps.stream().map(LatchkeyProcess::url).toList(), users, keptSessions, tally);
  }

  /**
   * Waits until every instance serves {@code kid}: each reads the published keys again every second
   * (a change made by another process shows within that).
   */
  private void awaitInEveryJwkSet(List<LatchkeyProcess> servers, String kid)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (!servers.stream().allMatch(server -> kids(jwks(server.url())).contains(kid))) {
      assertThat(Instant.now()).as("%s in every JWK Set within 10 s", kid).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  /** Fetches the JWK Set from each live instance and the proxy; asserts they are equal. */
  private JsonNode assertSameJwkSet(List<LatchkeyProcess> servers) {
    Map<String, JsonNode> sets = new LinkedHashMap<>();
    for (LatchkeyProcess server : servers) {
      sets.put(server.name(), jwks(server.url()));
    }
    sets.put("proxy", jwks(proxy));
    JsonNode reference = sets.values().iterator().next();
    sets.forEach((name, set) -> assertThat(set).as("JWK Set of %s", name).isEqualTo(reference));
    return reference;
  }

  private JsonNode jwks(String base) {
    Api.Outcome outcome = api.get(base + "/.well-known/jwks.json", null);
    assertThat(outcome.status()).as("JWKS of %s", base).isEqualTo(200);
    // Order-independent: keyed by kid.
    Map<String, JsonNode> byKid = new TreeMap<>();
    outcome.json().get("keys").forEach(k -> byKid.put(k.get("kid").asText(), k));
    return Api.JSON.valueToTree(byKid);
  }

  private static List<String> kids(JsonNode jwks) {
    List<String> kids = new ArrayList<>();
    jwks.fieldNames().forEachRemaining(kids::add);
    return kids;
  }

  /**
   * Every signing-key change the auth servers logged ({@code Signing keys: ...}), with the
   * instances that logged it.
   */
  private Map<String, List<String>> keyChanges() throws IOException {
    Map<String, List<String>> changes = new LinkedHashMap<>();
    for (LatchkeyProcess server : auth) {
      for (String line : server.logLines()) {
        int at = line.indexOf("Signing keys: ");
        if (at >= 0) {
          changes
              .computeIfAbsent(line.substring(at + 14), c -> new ArrayList<>())
              .add(server.name());
        }
      }
    }
    return changes;
  }

  private static String whoDid(Map<String, List<String>> changes, List<String> which) {
    return which.stream().map(c -> changes.get(c) + " " + c).collect(Collectors.joining("; "));
  }

  private static Instant firstCheckAfter(Instant started, Instant moment) {
    Instant check = started.plus(ROTATION_CHECK);
    while (check.isBefore(moment)) {
      check = check.plus(ROTATION_CHECK);
    }
    return check;
  }

  /** The flags of an operator command that works on the auth servers' database. */
  private List<String> storeArgs(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(
        List.of(
            "--db-url",
            postgres.jdbcUrl(),
            "--db-user",
            PostgresCluster.USER,
            "--master-key-file",
            masterKeyFile.toString(),
            "--data-dir",
            runDir.resolve("cli").toString()));
    return args;
  }

  /** What a command printed, without its log lines. */
  private static List<String> commandLines(Command.Result result) {
    return result
        .output()
        .lines()
        .filter(l -> !l.isBlank() && !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ .*"))
        .toList();
  }

  /** created_at and activates_at of a key, epoch milliseconds. */
  private long[] keyTimes(String kid) throws SQLException {
    try (Connection c = postgres.connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT created_at, activates_at FROM signing_keys WHERE kid = ?")) {
      ps.setString(1, kid);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("key %s in the database", kid).isTrue();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private void setActivation(String kid, long epochMillis) throws SQLException {
    try (Connection c = postgres.connect();
        PreparedStatement ps =
            c.prepareStatement("UPDATE signing_keys SET activates_at = ? WHERE kid = ?")) {
      ps.setLong(1, epochMillis);
      ps.setString(2, kid);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private String keyState(String kid) throws SQLException {
    try (Connection c = postgres.connect();
        PreparedStatement ps = c.prepareStatement("SELECT state FROM signing_keys WHERE kid = ?")) {
      ps.setString(1, kid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private Map<String, Long> keyStates() throws SQLException {
    Map<String, Long> states = new TreeMap<>();
    try (Connection c = postgres.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM signing_keys GROUP BY state")) {
      while (rs.next()) {
        states.put(rs.getString(1), rs.getLong(2));
      }
    }
    return states;
  }

  private static long countLines(List<String> lines, String needle) {
    return lines.stream().filter(l -> l.contains(needle)).count();
  }

  private static double since(Instant start) {
    return seconds(start, Instant.now());
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private void section(String title) {
    print(String.format("%n[scale %6.1f s] ==== %s", since(began), title));
  }

  private void say(String format, Object... args) {
    print(String.format("[scale %6.1f s] ", since(began)) + String.format(format, args));
  }

  private static void print(String text) {
    System.out.println(text);
    System.out.flush();
  }
}
