package dev.latchkey.verifier.internal.revocation;

import dev.latchkey.verifier.internal.fetch.Endpoint;
import dev.latchkey.verifier.internal.fetch.PolledDocument;
import dev.latchkey.verifier.internal.fetch.Schedule;
import dev.latchkey.verifier.internal.fetch.SourceStats;
import dev.latchkey.verifier.wire.RevocationFeedFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the auth server's revocation feed ({@link RevocationFeedFormat}), polled by a {@link
 * PolledDocument} every {@code pollInterval} (on the monotonic ticker):
 *
 * <ul>
 *   <li>the first poll asks without a cursor and gets a snapshot; later ones ask {@code
 *       after=<cursor of the previous answer>}, a database sequence, so no instance clock can make
 *       a revocation fall behind the cursor; a snapshot answer replaces what is held;
 *   <li>a sid or kid is held until its {@code until} (the expiry of the last token it can have
 *       produced) plus the clock skew, by the wall clock: no fixed retention;
 *   <li>newly revoked kids are handed to the listeners at once (the JWKS cache forgets them);
 *   <li>a failed poll changes nothing: the held entries keep being refused.
 * </ul>
 */
public final class RevocationFeed
    implements RevokedSessions, PolledDocument.Reader<RevocationFeed.Held> {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationFeed.class);

  /** Revoked sid → until, revoked kid → until, and the cursor of the last answer. */
  record Held(Map<String, Instant> sessions, Map<String, Instant> keys, long cursor) {}

  private final Duration clockSkew;
  private final Clock clock;
  private final List<Consumer<Set<String>>> keyListeners = new CopyOnWriteArrayList<>();
  private final PolledDocument<Held> document;

  /**
   * @param clockSkew how long after its {@code until} an entry is still held (the verifier accepts
   *     tokens this long after their {@code exp})
   */
  public RevocationFeed(
      Endpoint endpoint,
      Duration pollInterval,
      Duration backgroundCheck,
      Duration clockSkew,
      Clock clock,
      LongSupplier ticker) {
    this.clockSkew = clockSkew;
    this.clock = clock;
    Schedule everyInterval = new Schedule(pollInterval, pollInterval, backgroundCheck);
    this.document =
        new PolledDocument<>("revocations", endpoint, everyInterval, this, ticker).start();
  }

  @Override
  public boolean isRevoked(String sid) {
    PolledDocument.Held<Held> held = document.held();
    return sid != null && held != null && holds(held.value().sessions().get(sid));
  }

  @Override
  public boolean isKeyRevoked(String kid) {
    PolledDocument.Held<Held> held = document.held();
    return kid != null && held != null && holds(held.value().keys().get(kid));
  }

  private boolean holds(Instant until) {
    return until != null && clock.instant().isBefore(until.plus(clockSkew));
  }

  @Override
  public void onKeysRevoked(Consumer<Set<String>> listener) {
    keyListeners.add(listener);
  }

  @Override
  public boolean pollNow() {
    return document.fetchNow();
  }

  @Override
  public long cursor() {
    PolledDocument.Held<Held> held = document.held();
    return held == null ? -1 : held.value().cursor();
  }

  /** Entries counts revoked sids and kids held, including any past their time not yet pruned. */
  @Override
  public SourceStats stats() {
    PolledDocument.Held<Held> held = document.held();
    return document.stats(
        held == null ? 0 : held.value().sessions().size() + held.value().keys().size());
  }

  @Override
  public void close() {
    document.close();
  }

  @Override
  public URI uri(URI endpoint, Held held) {
    return RevocationFeedFormat.withCursor(endpoint, held == null ? -1 : held.cursor());
  }

  @Override
  public Held read(Held held, byte[] body) throws ParseException {
    RevocationFeedFormat.Page page =
        RevocationFeedFormat.parse(new String(body, StandardCharsets.UTF_8));
    boolean replace = held == null || page.snapshot();
    Map<String, Instant> sessions = merged(replace ? Map.of() : held.sessions(), page.sessions());
    Map<String, Instant> keys = merged(replace ? Map.of() : held.keys(), page.keys());
    LOG.debug(
        "revocation feed: {} sessions and {} keys listed (snapshot {}), cursor {}",
        page.sessions().size(),
        page.keys().size(),
        page.snapshot(),
        page.cursor());
    return new Held(sessions, keys, page.cursor());
  }

  private Map<String, Instant> merged(
      Map<String, Instant> held, List<RevocationFeedFormat.Entry> listed) {
    Map<String, Instant> next = new HashMap<>(held);
    for (RevocationFeedFormat.Entry e : listed) {
      next.merge(e.id(), Instant.ofEpochSecond(e.until()), RevocationFeed::later);
    }
    Instant horizon = clock.instant().minus(clockSkew);
    next.values().removeIf(until -> !until.isAfter(horizon));
    return Map.copyOf(next);
  }

  @Override
  public void swapped(Held previous, Held current) {
    Set<String> added = new HashSet<>(current.keys().keySet());
    if (previous != null) {
      added.removeAll(previous.keys().keySet());
    }
    if (!added.isEmpty()) {
      LOG.info("revocation feed: signing key(s) revoked: {}", added);
      Set<String> kids = Set.copyOf(added);
      keyListeners.forEach(listener -> listener.accept(kids));
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
