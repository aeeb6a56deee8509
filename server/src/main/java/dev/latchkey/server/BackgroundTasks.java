package dev.latchkey.server;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.server.oidc.AuthorizationCodes;
import dev.latchkey.server.oidc.OidcGrants;
import dev.latchkey.server.oidc.SingleSignOn;
import dev.latchkey.server.passkeys.Passkeys;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running server does in the background: the key rotation check with the clean-up of ended
 * sessions, revocations, throttle counters, account tokens and the OpenID provider's codes,
 * single-sign-on sessions and grants; and the re-read of the published keys. A failed round is
 * logged and tried again at the next.
 */
final class BackgroundTasks {
  private static final Logger log = LoggerFactory.getLogger(BackgroundTasks.class);

  private BackgroundTasks() {}

  /** Starts both schedules on one daemon thread; shut it down to stop them. */
  static ScheduledExecutorService start(
      AuthStore store, Accounts accounts, Duration rotationCheckInterval) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "latchkey-key-rotation");
              t.setDaemon(true);
              return t;
            });
    long every = rotationCheckInterval.toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            store.keys().maintain();
          } catch (RuntimeException e) {
            log.warn("Key rotation check failed, will retry: {}", e.toString());
          }
          try { // forget ended sessions and throttle counters
            store.sessions().purgeExpired();
            store.revocations().purge();
            store.throttle().purgeExpired();
            store.pendingSignIns().purgeExpired();
            Passkeys.purgeExpiredChallenges(store.database(), store.config().clock());
            accounts.purgeExpired();
            purgeOidc(store);
          } catch (RuntimeException e) {
            log.warn("Session clean-up failed, will retry: {}", e.toString());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    long refresh = SigningKeys.PUBLISHED_REFRESH.toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            store.keys().refreshPublished();
          } catch (RuntimeException e) {
            log.debug("Published keys not read again (the last read keeps answering)", e);
          }
        },
        refresh,
        refresh,
        TimeUnit.MILLISECONDS);
    return scheduler;
  }

  /** The OpenID provider's rows that outlived their use (grants after their sessions' purge). */
  private static void purgeOidc(AuthStore store) {
    var clock = store.config().clock();
    new AuthorizationCodes(store.database(), clock).purgeExpired();
    SingleSignOn.forSessions(store.database(), store.config().sessions(), clock).purgeExpired();
    new OidcGrants(store.database(), clock).purgeOrphans();
  }
}
