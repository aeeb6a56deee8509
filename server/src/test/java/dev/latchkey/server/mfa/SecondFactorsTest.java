package dev.latchkey.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.Postgres;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SealedSecrets;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import dev.latchkey.testing.MutableClock;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** Second factors on H2 and on PostgreSQL: enrolment, the second step, recovery codes, reset. */
class SecondFactorsTest {
  enum Db {
    H2,
    POSTGRES
  }

  private static final String ADA = "ada@example.com";
  private static final String BOB = "bob@example.com";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tempDir;
  private final MutableClock clock = MutableClock.standard();
  private final ListAppender<ILoggingEvent> audited = new ListAppender<>();
  private AuthStore store;
  private String schema;
  private String masterKey;
  private SecondFactors factors;
  private String ada;
  private String bob;

  @BeforeEach
  void captureAudit() {
    audited.start();
    ((Logger) LoggerFactory.getLogger(Audit.LOGGER)).addAppender(audited);
  }

  private void open(Db db) {
    masterKey = MasterKey.generateBase64();
    StoreSettings settings =
        StoreSettings.embedded(tempDir.resolve("data")).withMasterKey(masterKey);
    if (db == Db.POSTGRES) {
      Postgres.assumeAvailable();
      schema = "lk_" + UUID.randomUUID().toString().replace("-", "");
      settings = settings.withDatabase(Postgres.URL, Postgres.USER, null, schema);
    }
    store =
        AuthStore.open(
            AuthServerConfig.defaults()
                .withStore(settings)
                .withHashing(new HashingSettings(new Argon2Params(256, 1, 1), 1, 8))
                .withClock(clock));
    factors = secondInstance();
    ada = store.users().add(ADA, "correct horse battery staple".toCharArray());
    bob = store.users().add(BOB, "another horse battery staple".toCharArray());
  }

  /** Another component over the same database, as another auth server instance has. */
  private SecondFactors secondInstance() {
    return new SecondFactors(
        store.database(),
        MasterKey.load(StoreSettings.defaults().withMasterKey(masterKey)),
        clock,
        new Audit(clock));
  }

  @AfterEach
  void close() throws SQLException {
    ((Logger) LoggerFactory.getLogger(Audit.LOGGER)).detachAppender(audited);
    if (store != null) {
      store.close();
    }
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(Postgres.URL, Postgres.USER, null);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  private String code(TotpEnrolment enrolment, int stepsFromNow) {
    long step = new Totp(clock).currentStep() + stepsFromNow;
    return Totp.code(Base32.decode(enrolment.secret()), step, Totp.DIGITS);
  }

  private TotpEnrolment enrolled(String userId, String email) {
    TotpEnrolment enrolment = factors.startTotpEnrolment(userId, email);
    factors.confirmTotp(userId, code(enrolment, 0));
    return enrolment;
  }

  private List<JsonNode> events(String name) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (ILoggingEvent e : audited.list) {
      JsonNode line = JSON.readTree(e.getFormattedMessage());
      if (line.get("event").asText().equals(name)) {
        found.add(line);
      }
    }
    return found;
  }

  private static void assertRefused(SecondStep outcome, SecondStep.Reason reason) {
    assertThat(outcome).isEqualTo(new SecondStep.Refused(reason));
  }

  // ---- enrolment -------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Db.class)
  void enrolmentGivesATwentyByteSecretAndTheOtpauthUri(Db db) throws Exception {
    open(db);

    TotpEnrolment enrolment = factors.startTotpEnrolment(ada, ADA);

    assertThat(Base32.decode(enrolment.secret())).hasSize(20);
    assertThat(enrolment.secret()).matches("[A-Z2-7]{32}");
    assertThat(enrolment.otpauthUri())
        .isEqualTo(
            "otpauth://totp/Latchkey:ada@example.com?secret="
                + enrolment.secret()
                + "&issuer=Latchkey&algorithm=SHA1&digits=6&period=30");
    assertThat(URI.create(enrolment.otpauthUri()).getScheme()).isEqualTo("otpauth");
    assertThat(events("mfa_enrolment_started")).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void theSecretIsStoredSealedUnderTheMasterKeyAndBoundToItsUser(Db db) throws Exception {
    open(db);
    TotpEnrolment enrolment = factors.startTotpEnrolment(ada, ADA);

    String stored =
        store
            .database()
            .queryOne(
                "SELECT secret_enc FROM mfa_totp WHERE user_id = ?", rs -> rs.getString(1), ada)
            .orElseThrow();

    assertThat(stored).startsWith("v1:").doesNotContain(enrolment.secret());
    SealedSecrets sealed =
        new SealedSecrets(MasterKey.load(StoreSettings.defaults().withMasterKey(masterKey)));
    assertThat(sealed.open(stored, "totp:" + ada)).isEqualTo(Base32.decode(enrolment.secret()));
    assertThatThrownBy(() -> sealed.open(stored, "totp:" + bob))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not decrypt");
    SealedSecrets otherKey =
        new SealedSecrets(
            MasterKey.load(StoreSettings.defaults().withMasterKey(MasterKey.generateBase64())));
    assertThatThrownBy(() -> otherKey.open(stored, "totp:" + ada))
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void withoutConfirmationTheFactorStaysOff(Db db) {
    open(db);
    TotpEnrolment enrolment = factors.startTotpEnrolment(ada, ADA);

    assertThat(factors.summary(ada)).isEqualTo(new FactorSummary(false, 0));
    assertThat(factors.summary(ada).methods()).isEmpty();
    assertRefused(factors.verify(ada, code(enrolment, 0)), SecondStep.Reason.NOT_ENROLLED);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void aWrongCodeDoesNotConfirmAndTheEnrolmentStaysPending(Db db) {
    open(db);
    TotpEnrolment enrolment = factors.startTotpEnrolment(ada, ADA);

    assertThatThrownBy(() -> factors.confirmTotp(ada, code(enrolment, 2)))
        .isInstanceOfSatisfying(
            MfaException.class, e -> assertThat(e.reason()).isEqualTo("invalid_code"));
    assertThat(factors.summary(ada).totp()).isFalse();

    assertThat(factors.confirmTotp(ada, code(enrolment, 0))).hasSize(10);
    assertThat(factors.summary(ada)).isEqualTo(new FactorSummary(true, 10));
    assertThat(factors.summary(ada).methods())
        .containsExactly(SecondFactorMethod.TOTP, SecondFactorMethod.RECOVERY_CODE);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void aNewPendingEnrolmentReplacesTheEarlierOne(Db db) {
    open(db);
    TotpEnrolment first = factors.startTotpEnrolment(ada, ADA);
    TotpEnrolment second = factors.startTotpEnrolment(ada, ADA);

    assertThat(second.secret()).isNotEqualTo(first.secret());
    assertThatThrownBy(() -> factors.confirmTotp(ada, code(first, 0)))
        .isInstanceOf(MfaException.class);
    assertThat(factors.confirmTotp(ada, code(second, 0))).hasSize(10);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void confirmingTwiceOrEnrollingOverAnActiveFactorIsRefused(Db db) throws Exception {
    open(db);
    TotpEnrolment enrolment = enrolled(ada, ADA);

    assertThatThrownBy(() -> factors.confirmTotp(ada, code(enrolment, 1)))
        .isInstanceOfSatisfying(
            MfaException.class, e -> assertThat(e.reason()).isEqualTo("no_pending_enrolment"));
    assertThatThrownBy(() -> factors.startTotpEnrolment(ada, ADA))
        .isInstanceOfSatisfying(
            MfaException.class, e -> assertThat(e.reason()).isEqualTo("totp_already_enabled"));
    assertThat(factors.verify(ada, code(enrolment, 1))).isInstanceOf(SecondStep.Passed.class);
    assertThat(events("mfa_enabled"))
        .singleElement()
        .satisfies(e -> assertThat(e.get("recovery_codes").asInt()).isEqualTo(10));
  }

  // ---- the second step -------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Db.class)
  void theCodeThatConfirmedTheEnrolmentCannotSignIn(Db db) {
    open(db);
    TotpEnrolment enrolment = factors.startTotpEnrolment(ada, ADA);
    String confirming = code(enrolment, 0);
    factors.confirmTotp(ada, confirming);

    assertRefused(factors.verify(ada, confirming), SecondStep.Reason.REPLAYED);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void aCodeIsAcceptedOncePerStepAndNeverForAnOlderStep(Db db) throws Exception {
    open(db);
    TotpEnrolment enrolment = enrolled(ada, ADA);
    clock.advance(Duration.ofSeconds(30));
    String now = code(enrolment, 0);

    assertThat(factors.verify(ada, now))
        .isEqualTo(new SecondStep.Passed(SecondFactorMethod.TOTP, 10));
    assertRefused(factors.verify(ada, now), SecondStep.Reason.REPLAYED);
    assertRefused(factors.verify(ada, code(enrolment, -1)), SecondStep.Reason.REPLAYED);

    clock.advance(Duration.ofSeconds(30));
    assertThat(factors.verify(ada, code(enrolment, 0))).isInstanceOf(SecondStep.Passed.class);
    assertThat(events("mfa_succeeded"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.get("method").asText()).isEqualTo("totp"));
    assertThat(events("mfa_failed"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.get("reason").asText()).isEqualTo("replayed"));
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void oneStepOfDriftIsAcceptedTwoAreNot(Db db) throws Exception {
    open(db);
    TotpEnrolment enrolment = enrolled(ada, ADA);
    clock.advance(Duration.ofMinutes(5));

    assertRefused(factors.verify(ada, code(enrolment, 2)), SecondStep.Reason.INVALID_CODE);
    assertRefused(factors.verify(ada, code(enrolment, -2)), SecondStep.Reason.INVALID_CODE);
    assertThat(factors.verify(ada, code(enrolment, -1))).isInstanceOf(SecondStep.Passed.class);
    assertThat(factors.verify(ada, code(enrolment, 1))).isInstanceOf(SecondStep.Passed.class);
    assertThat(events("mfa_failed"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.get("reason").asText()).isEqualTo("invalid_code"));
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void twoInstancesRacingWithTheSameCodeAcceptItOnce(Db db) throws Exception {
    open(db);
    TotpEnrolment enrolment = enrolled(ada, ADA);
    clock.advance(Duration.ofSeconds(30));
    String code = code(enrolment, 0);
    List<SecondFactors> instances = List.of(factors, secondInstance(), secondInstance());
    ExecutorService pool = Executors.newFixedThreadPool(instances.size());
    try {
      List<Callable<SecondStep>> tries = new ArrayList<>();
      instances.forEach(instance -> tries.add(() -> instance.verify(ada, code)));
      List<SecondStep> outcomes = new ArrayList<>();
      for (Future<SecondStep> f : pool.invokeAll(tries)) {
        outcomes.add(f.get());
      }

      assertThat(outcomes).filteredOn(SecondStep.Passed.class::isInstance).hasSize(1);
      assertThat(outcomes)
          .filteredOn(o -> o.equals(new SecondStep.Refused(SecondStep.Reason.REPLAYED)))
          .hasSize(instances.size() - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void oneUsersCodeIsNothingForAnother(Db db) {
    open(db);
    TotpEnrolment adas = enrolled(ada, ADA);
    enrolled(bob, BOB);
    clock.advance(Duration.ofSeconds(30));

    assertRefused(factors.verify(bob, code(adas, 0)), SecondStep.Reason.INVALID_CODE);
  }

  // ---- recovery codes --------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Db.class)
  void aRecoveryCodeWorksOnceWhateverItsCase(Db db) throws Exception {
    open(db);
    TotpEnrolment enrolment = factors.startTotpEnrolment(ada, ADA);
    List<String> codes = factors.confirmTotp(ada, code(enrolment, 0));

    assertThat(factors.verify(ada, " " + codes.get(3).toUpperCase() + " "))
        .isEqualTo(new SecondStep.Passed(SecondFactorMethod.RECOVERY_CODE, 9));
    assertRefused(factors.verify(ada, codes.get(3)), SecondStep.Reason.INVALID_CODE);
    assertThat(factors.verify(ada, codes.get(4).replace("-", "")))
        .isEqualTo(new SecondStep.Passed(SecondFactorMethod.RECOVERY_CODE, 8));
    assertThat(factors.summary(ada)).isEqualTo(new FactorSummary(true, 8));
    assertThat(events("recovery_code_used"))
        .extracting(e -> e.get("recovery_codes_left").asInt())
        .containsExactly(9, 8);
    assertThat(events("mfa_succeeded"))
        .extracting(e -> e.get("method").asText())
        .containsExactly("recovery_code", "recovery_code");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void recoveryCodesAreStoredOnlyAsHashes(Db db) {
    open(db);
    TotpEnrolment enrolment = factors.startTotpEnrolment(ada, ADA);
    List<String> codes = factors.confirmTotp(ada, code(enrolment, 0));

    List<String> stored =
        store
            .database()
            .query(
                "SELECT code_hash FROM mfa_recovery_codes WHERE user_id = ?",
                rs -> rs.getString(1),
                ada);
    assertThat(stored).hasSize(10).allMatch(h -> h.matches("[0-9a-f]{64}"));
    for (String code : codes) {
      assertThat(stored).noneMatch(h -> h.contains(code.replace("-", "")));
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void regeneratingVoidsTheOldCodes(Db db) throws Exception {
    open(db);
    TotpEnrolment enrolment = factors.startTotpEnrolment(ada, ADA);
    List<String> old = factors.confirmTotp(ada, code(enrolment, 0));
    factors.verify(ada, old.get(0));

    List<String> fresh = factors.regenerateRecoveryCodes(ada);

    assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(old);
    assertThat(factors.summary(ada).recoveryCodesLeft()).isEqualTo(10);
    assertRefused(factors.verify(ada, old.get(1)), SecondStep.Reason.INVALID_CODE);
    assertThat(factors.verify(ada, fresh.get(1))).isInstanceOf(SecondStep.Passed.class);
    assertThat(events("recovery_codes_regenerated")).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void noRecoveryCodesWithoutAFactor(Db db) {
    open(db);
    factors.startTotpEnrolment(ada, ADA);

    assertThatThrownBy(() -> factors.regenerateRecoveryCodes(ada))
        .isInstanceOfSatisfying(
            MfaException.class, e -> assertThat(e.reason()).isEqualTo("totp_not_enabled"));
    assertRefused(factors.verify(ada, "abcde-fgh23"), SecondStep.Reason.NOT_ENROLLED);
  }

  // ---- removal and the operator's reset --------------------------------------------------

  @ParameterizedTest
  @EnumSource(Db.class)
  void removingTotpTurnsItOffWithItsRecoveryCodes(Db db) throws Exception {
    open(db);
    TotpEnrolment enrolment = factors.startTotpEnrolment(ada, ADA);
    List<String> codes = factors.confirmTotp(ada, code(enrolment, 0));

    assertThat(factors.removeTotp(ada)).isTrue();

    assertThat(factors.summary(ada)).isEqualTo(new FactorSummary(false, 0));
    clock.advance(Duration.ofSeconds(30));
    assertRefused(factors.verify(ada, code(enrolment, 0)), SecondStep.Reason.NOT_ENROLLED);
    assertRefused(factors.verify(ada, codes.get(0)), SecondStep.Reason.NOT_ENROLLED);
    assertThat(factors.removeTotp(ada)).isFalse();
    assertThat(events("mfa_removed")).hasSize(1);
    // enrolling again starts from nothing
    TotpEnrolment again = factors.startTotpEnrolment(ada, ADA);
    assertThat(factors.confirmTotp(ada, code(again, 0))).hasSize(10);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void theOperatorsResetRemovesEveryFactorAndRevokesTheSessions(Db db) throws Exception {
    open(db);
    enrolled(ada, ADA);
    enrolled(bob, BOB);
    String adaSession = store.issueToken(ADA).sid();
    String bobSession = store.issueToken(BOB).sid();

    SecondFactors.Reset reset = factors.resetByOperator(ada, store.sessionRevocation());

    assertThat(reset).isEqualTo(new SecondFactors.Reset(true, 10, 0, 1));
    assertThat(factors.summary(ada)).isEqualTo(new FactorSummary(false, 0));
    assertThat(store.sessions().find(adaSession).orElseThrow().revokeReason())
        .isEqualTo("mfa_reset");
    assertThat(factors.summary(bob)).isEqualTo(new FactorSummary(true, 10));
    assertThat(store.sessions().find(bobSession).orElseThrow().revokedAt()).isNull();
    assertThat(events("mfa_reset"))
        .singleElement()
        .satisfies(e -> assertThat(e.get("user_id").asText()).isEqualTo(ada));
    assertThat(events("sessions_revoked"))
        .singleElement()
        .satisfies(e -> assertThat(e.get("reason").asText()).isEqualTo("mfa_reset"));
  }
}
