package dev.latchkey.server.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.throttle.ThrottlePolicy.Attempt;
import dev.latchkey.server.throttle.ThrottlePolicy.Count;
import dev.latchkey.server.throttle.ThrottlePolicy.Counter;
import dev.latchkey.server.throttle.ThrottlePolicy.Decision;
import dev.latchkey.server.throttle.ThrottlePolicy.Place;
import dev.latchkey.server.throttle.ThrottlePolicy.Row;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The throttle's decision without a database: the counter rows, the attempt and the time in. */
class ThrottlePolicyTest {
  private static final long NOW = 1_900_000_000_000L;
  private static final long WINDOW = Duration.ofMinutes(15).toMillis();
  private static final long SECOND = 1000;

  private final ThrottleSettings settings = ThrottleSettings.defaults(); // 5, 20, device 3
  private final ThrottlePolicy policy = new ThrottlePolicy(settings);
  private final Counter account = new Counter("a:1", 5, true);
  private final Counter address = new Counter("i:1", 20, false);

  private Decision decide(Row accountRow, Row addressRow) {
    return policy.decide(List.of(account, address), List.of(accountRow, addressRow), NOW);
  }

  private static Row counting(int failures) {
    return new Row(failures, 0, NOW + 60 * SECOND);
  }

  private static Decision.Admit admitted(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Admit.class);
    return (Decision.Admit) decision;
  }

  @Test
  void anAttemptWithoutADeviceCookieIsJudgedByItsAccountAndItsAddressInKeyOrder() {
    List<Counter> counters = policy.countersFor(new Attempt("a:x", "i:y", null));

    assertThat(counters)
        .containsExactly(new Counter("a:x", 5, true), new Counter("i:y", 20, false));
  }

  @Test
  void anAttemptWithAValidDeviceCookieIsJudgedByItsDeviceAlone() {
    List<Counter> counters = policy.countersFor(new Attempt("a:x", "i:y", "d:z"));

    assertThat(counters).containsExactly(new Counter("d:z", 3, true));
  }

  @Test
  void aDeviceLocksAfterItsOwnThreshold() {
    Counter device = new Counter("d:z", 3, true);

    Count third =
        ((Decision.Admit) policy.decide(List.of(device), List.of(counting(2)), NOW))
            .counts()
            .get(0);

    assertThat(third.engaged()).isTrue();
    assertThat(third.written().lockedUntil()).isEqualTo(NOW + SECOND);
    assertThat(policy.decide(List.of(device), List.of(third.written()), NOW + 999))
        .isEqualTo(new Decision.Refuse(Duration.ofMillis(1)));
  }

  @Test
  void aFirstAttemptIsCountedOnEveryCounterWithoutALock() {
    Decision.Admit admit = admitted(decide(Row.EMPTY, Row.EMPTY));

    assertThat(admit.counts())
        .containsExactly(
            new Count(new Place(account, 0, 0), new Row(1, 0, NOW + WINDOW), false),
            new Count(new Place(address, 0, 0), new Row(1, 0, NOW + WINDOW), false));
  }

  @Test
  void theAttemptThatReachesTheThresholdLocksForTheBaseDelayAndEngagesTheLock() {
    Decision.Admit admit = admitted(decide(counting(4), counting(7)));

    Count onAccount = admit.counts().get(0);
    assertThat(onAccount.engaged()).isTrue();
    assertThat(onAccount.written()).isEqualTo(new Row(5, NOW + SECOND, NOW + SECOND + WINDOW));
    assertThat(onAccount.place()).isEqualTo(new Place(account, 0, NOW + SECOND));
    assertThat(admit.counts().get(1).engaged()).isFalse();
    assertThat(admit.counts().get(1).written()).isEqualTo(new Row(8, 0, NOW + WINDOW));
  }

  @Test
  void aLockedCounterRefusesWithTheTimeLeftAndWritesNothing() {
    Row locked = new Row(5, NOW + 1500, NOW + WINDOW);

    assertThat(decide(locked, counting(2))).isEqualTo(new Decision.Refuse(Duration.ofMillis(1500)));
    assertThat(decide(counting(1), locked)).isEqualTo(new Decision.Refuse(Duration.ofMillis(1500)));
  }

  @Test
  void aLockThatHasEndedNoLongerRefusesAndTheNextFailureDoublesIt() {
    Row ended = new Row(5, NOW, NOW + WINDOW);

    Count onAccount = admitted(decide(ended, counting(0))).counts().get(0);

    assertThat(onAccount.written().lockedUntil()).isEqualTo(NOW + 2 * SECOND);
    assertThat(onAccount.engaged()).isFalse();
    assertThat(onAccount.place().lockedBefore()).isEqualTo(NOW);
  }

  @Test
  void anExpiredRowCountsAsEmptyEvenWithALockInIt() {
    Row forgotten = new Row(30, NOW + 10 * SECOND, NOW);

    Count onAccount = admitted(decide(forgotten, Row.EMPTY)).counts().get(0);

    assertThat(onAccount.written()).isEqualTo(new Row(1, 0, NOW + WINDOW));
  }

  @Test
  void locksDoubleFromTheBaseDelayUpToTheCap() {
    assertThat(policy.lockAfter(4, 5)).isZero();
    assertThat(policy.lockAfter(5, 5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.lockAfter(6, 5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.lockAfter(14, 5)).isEqualTo(Duration.ofSeconds(512));
    assertThat(policy.lockAfter(15, 5)).isEqualTo(Duration.ofMinutes(15));
    assertThat(policy.lockAfter(Integer.MAX_VALUE, 5)).isEqualTo(Duration.ofMinutes(15));
  }
}
