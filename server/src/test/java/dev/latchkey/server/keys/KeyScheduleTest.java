package dev.latchkey.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rotation schedule without a database: stored keys and a time in, steps out. */
class KeyScheduleTest {
  private static final Duration PERIOD = Duration.ofDays(30);
  private static final Duration MAX_AGE = Duration.ofHours(1);
  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final Duration TOKEN = Duration.ofHours(2);
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private final KeySchedule schedule =
      new KeySchedule(
          new KeySettings("RS256", PERIOD, MAX_AGE, SKEW, Duration.ofMinutes(1)), TOKEN);

  private static SigningKeyInfo active(String kid, Instant activatedAt) {
    return key(kid, KeyState.ACTIVE, activatedAt, null, activatedAt, null);
  }

  private static SigningKeyInfo next(String kid, Instant createdAt, Instant activatesAt) {
    return key(kid, KeyState.NEXT, createdAt, activatesAt, null, null);
  }

  private static SigningKeyInfo retired(String kid, Instant removesAt) {
    return key(kid, KeyState.RETIRED, T0.minus(PERIOD), null, T0.minus(PERIOD), removesAt);
  }

  private static SigningKeyInfo key(
      String kid,
      KeyState state,
      Instant createdAt,
      Instant activatesAt,
      Instant activatedAt,
      Instant removesAt) {
    return new SigningKeyInfo(
        kid, "RS256", state, createdAt, activatesAt, activatedAt, null, removesAt, null, "{}");
  }

  @Test
  void aFreshStoreGetsAKeyThatSignsAtOnce() {
    assertThat(schedule.due(List.of(), T0)).containsExactly(new KeyStep.CreateActive());
  }

  @Test
  void aNextKeyWithoutAnActiveOneStartsSigning() {
    assertThat(schedule.due(List.of(next("n", T0, T0.plus(MAX_AGE))), T0))
        .containsExactly(new KeyStep.Activate("n"));
  }

  @Test
  void theNextKeyIsPublishedTwoMaxAgesBeforeTheRotationIsDue() {
    List<SigningKeyInfo> keys = List.of(active("a", T0));
    Instant due = T0.plus(PERIOD);
    Instant publish = due.minus(MAX_AGE.multipliedBy(2));

    assertThat(schedule.due(keys, publish.minusSeconds(1))).isEmpty();
    assertThat(schedule.due(keys, publish)).containsExactly(new KeyStep.CreateNext(due));
  }

  @Test
  void aLateCheckStillPublishesTheNextKeyOneMaxAgeBeforeItSigns() {
    Instant late = T0.plus(PERIOD).plusSeconds(5);
    assertThat(schedule.due(List.of(active("a", T0)), late))
        .containsExactly(new KeyStep.CreateNext(late.plus(MAX_AGE)));
  }

  @Test
  void theNextKeyTakesOverWhenDueAndTheOldOneStaysForTheLastTokenPlusSkew() {
    Instant takeOver = T0.plus(PERIOD);
    List<SigningKeyInfo> keys =
        List.of(active("a", T0), next("n", takeOver.minus(MAX_AGE.multipliedBy(2)), takeOver));

    assertThat(schedule.due(keys, takeOver.minusMillis(1))).isEmpty();
    assertThat(schedule.due(keys, takeOver))
        .containsExactly(
            new KeyStep.Retire("a", takeOver.plus(TOKEN).plus(SKEW)), new KeyStep.Activate("n"));
  }

  @Test
  void aRetiredKeyIsRemovedOnceEveryTokenItSignedHasExpired() {
    Instant removesAt = T0.plus(TOKEN);
    List<SigningKeyInfo> keys = List.of(retired("r", removesAt), active("a", T0));

    assertThat(schedule.due(keys, removesAt.minusMillis(1))).isEmpty();
    assertThat(schedule.due(keys, removesAt)).containsExactly(new KeyStep.Remove("r"));
  }

  @Test
  void rotatingWithoutANextKeyPublishesOneThatSignsAfterOneMaxAge() {
    assertThat(schedule.rotateNow(List.of(active("a", T0)), T0))
        .containsExactly(new KeyStep.CreateNext(T0.plus(MAX_AGE)));
  }

  @Test
  void rotatingTooEarlyBringsTheNextKeyForwardToOneMaxAgeAfterItsPublication() {
    Instant published = T0.plus(Duration.ofDays(29));
    List<SigningKeyInfo> keys = List.of(active("a", T0), next("n", published, T0.plus(PERIOD)));

    assertThat(schedule.rotateNow(keys, published.plusSeconds(60)))
        .containsExactly(new KeyStep.Reschedule("n", published.plus(MAX_AGE)));
  }

  @Test
  void rotatingAfterOneMaxAgePromotesTheNextKey() {
    Instant published = T0.plus(Duration.ofDays(1));
    Instant now = published.plus(MAX_AGE);
    List<SigningKeyInfo> keys = List.of(active("a", T0), next("n", published, T0.plus(PERIOD)));

    assertThat(schedule.rotateNow(keys, now))
        .containsExactly(
            new KeyStep.Retire("a", now.plus(TOKEN).plus(SKEW)), new KeyStep.Activate("n"));
  }

  @Test
  void rotatingWhenTheNextKeyIsAlreadyDueSoonChangesNothing() {
    Instant published = T0.plus(Duration.ofDays(1));
    Instant soon = published.plus(Duration.ofMinutes(30));
    List<SigningKeyInfo> keys = List.of(active("a", T0), next("n", published, soon));

    assertThat(schedule.rotateNow(keys, published.plusSeconds(60)))
        .containsExactly(new KeyStep.Unchanged("next key n already starts signing at " + soon));
  }

  @Test
  void revokingTheActiveKeyPromotesTheNextOrCreatesOne() {
    SigningKeyInfo a = active("a", T0);
    SigningKeyInfo n = next("n", T0.plusSeconds(10), T0.plus(PERIOD));

    assertThat(schedule.revoke(List.of(a, n), "a"))
        .containsExactly(new KeyStep.Revoke("a", KeyState.ACTIVE), new KeyStep.Activate("n"));
    assertThat(schedule.revoke(List.of(a), "a"))
        .containsExactly(new KeyStep.Revoke("a", KeyState.ACTIVE), new KeyStep.CreateActive());
  }

  @Test
  void revokingAnotherKeyOnlyRemovesIt() {
    List<SigningKeyInfo> keys = List.of(retired("r", T0.plus(TOKEN)), active("a", T0));
    assertThat(schedule.revoke(keys, "r"))
        .containsExactly(new KeyStep.Revoke("r", KeyState.RETIRED));
  }

  @Test
  void revokingAnUnpublishedKeyChangesNothingAndAnUnknownKidIsRefused() {
    SigningKeyInfo gone = key("g", KeyState.GONE, T0, null, T0, null);

    assertThat(schedule.revoke(List.of(gone), "g"))
        .containsExactly(new KeyStep.Unchanged("key g is already gone"));
    assertThatThrownBy(() -> schedule.revoke(List.of(gone), "nope"))
        .isInstanceOf(UnknownKeyException.class);
  }
}
