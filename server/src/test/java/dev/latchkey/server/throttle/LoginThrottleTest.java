package dev.latchkey.server.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.throttle.LoginThrottle.Admission;
import dev.latchkey.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reservations of two instances sharing one database whose clocks differ a little (as they do, and
 * as a time read before waiting for a row lock does): a place below the threshold is never a lock.
 */
class LoginThrottleTest {
  private static final String ADDRESS = "198.51.100.20";

  @TempDir Path tempDir;
  private Database db;
  private final MutableClock ahead = MutableClock.standard();
  private final MutableClock behind = new MutableClock(MutableClock.STANDARD_START);
  private LoginThrottle first;
  private LoginThrottle second;

  @BeforeEach
  void open() {
    db = Database.open(StoreSettings.embedded(tempDir));
    behind.advance(Duration.ofMillis(-500));
    first = new LoginThrottle(db, ThrottleSettings.defaults(), ahead, new Audit(ahead));
    second = new LoginThrottle(db, ThrottleSettings.defaults(), behind, new Audit(behind));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void anAttemptInFlightOnAnInstanceAheadDoesNotLockTheAddressForTheOneBehind() {
    Admission inFlight = first.reserve("ada@example.com", ADDRESS, null);
    assertThat(inFlight).isInstanceOf(Admission.Admitted.class);

    Admission beside = second.reserve("bob@example.com", ADDRESS, null);

    assertThat(beside).isInstanceOf(Admission.Admitted.class);
    first.succeeded(((Admission.Admitted) inFlight).reservation());
    second.succeeded(((Admission.Admitted) beside).reservation());
  }

  @Test
  void theThresholdStillLocksAcrossInstancesWhateverTheirClocks() {
    int threshold = ThrottleSettings.defaults().accountThreshold();
    for (int i = 0; i < threshold; i++) {
      LoginThrottle instance = i % 2 == 0 ? first : second;
      assertThat(instance.reserve("ada@example.com", ADDRESS, null))
          .as("attempt %d", i + 1)
          .isInstanceOf(Admission.Admitted.class);
    }

    assertThat(second.reserve("ada@example.com", ADDRESS, null))
        .isInstanceOf(Admission.Refused.class);
    assertThat(first.reserve("ada@example.com", ADDRESS, null))
        .isInstanceOf(Admission.Refused.class);
  }

  @Test
  void successesFromOneAddressBeyondItsThresholdAreNeverRefused() {
    for (int i = 0; i < 3 * ThrottleSettings.defaults().ipThreshold(); i++) {
      Admission admitted = first.reserve("user" + i + "@example.com", ADDRESS, null);
      assertThat(admitted).as("login %d", i + 1).isInstanceOf(Admission.Admitted.class);
      first.succeeded(((Admission.Admitted) admitted).reservation());
    }
  }
}
