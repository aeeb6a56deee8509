package dev.latchkey.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mixed load as users make it: each client thread logs in through the proxy, calls the protected
 * route on both application servers, refreshes through the proxy, calls them again and logs out,
 * over and over. Optionally one more thread keeps a set of sessions alive, refreshing each in turn
 * through the proxy (retrying at once, as a client does, when an answer is lost) and using its new
 * token. Every request is counted in a {@link Tally} under the window current when it started.
 */
final class MixedLoad {

  private static final int RETRIES = 3;

  private final Api api;
  private final String proxy;
  private final List<String> apps;
  private final List<String[]> users;
  private final List<Api.Session> kept;
  private final Tally tally;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param users {email, password} per client thread
   * @param kept sessions to keep refreshing (may be empty)
   */
  MixedLoad(
      Api api,
      String proxy,
      List<String> apps,
      List<String[]> users,
      List<Api.Session> kept,
      Tally tally) {
    this.api = api;
    this.proxy = proxy;
    this.apps = apps;
    this.users = users;
    this.kept = kept;
    this.tally = tally;
  }

  /** Starts the client threads (and the keeper); {@link #stop} ends them. */
  MixedLoad start() {
    for (String[] user : users) {
      threads.add(started("load-" + user[0], () -> cycle(user)));
    }
    if (!kept.isEmpty()) {
      threads.add(started("load-keeper", this::keep));
    }
    return this;
  }

  private static Thread started(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Stops the threads after their current request; waits for them. */
  void stop() throws InterruptedException {
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(30_000);
    }
  }

  int clients() {
    return users.size() + (kept.isEmpty() ? 0 : 1);
  }

  /** Runs the load for {@code duration}. */
  void runFor(Duration duration) throws InterruptedException {
    start();
    Thread.sleep(duration.toMillis());
    stop();
  }

  private void cycle(String[] user) {
    while (!stop.get()) {
      String window = tally.window();
      Api.Outcome login = api.login(proxy, user[0], user[1], null);
      tally.record(window, "login", login);
      if (!login.is(200)) {
        pause();
        continue;
      }
      Api.Session session = Api.session(user[0], login);
      callApps(session.idToken, "lessons");
      window = tally.window();
      tally.record(window, "refresh", api.refresh(proxy, session));
      callApps(session.idToken, "lessons");
      window = tally.window();
      tally.record(window, "logout", api.logout(proxy, session));
    }
  }

  private void callApps(String token, String operation) {
    for (int i = 0; i < 2 && !stop.get(); i++) {
      for (String app : apps) {
        String window = tally.window();
        tally.record(window, operation, api.lessons(app, token));
      }
    }
  }

  private void keep() {
    int i = 0;
    while (!stop.get()) {
      Api.Session session = kept.get(i++ % kept.size());
      for (int attempt = 1; attempt <= RETRIES && !stop.get(); attempt++) {
        String window = tally.window();
        Api.Outcome refresh = api.refresh(proxy, session);
        tally.record(window, "kept-refresh", refresh);
        if (refresh.is(200) || refresh.is(401)) {
          break;
        }
      }
      String window = tally.window();
      tally.record(window, "kept-lessons", api.lessons(apps.get(i % apps.size()), session.idToken));
      pauseBriefly();
    }
  }

  private void pause() {
    sleep(200);
  }

  private void pauseBriefly() {
    sleep(50);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
