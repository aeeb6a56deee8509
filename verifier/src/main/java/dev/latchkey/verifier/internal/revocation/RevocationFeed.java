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
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the auth server's revocation feed ({@link RevocationFeedFormat}), polled by a {@link
 * PolledDocument} every {@code pollInterval}:
 *
 * <ul>
 *   <li>the first poll asks {@code since=0}; later ones the previous answer's {@code now} minus
 *       {@code sinceOverlap}, so a revocation written by an auth server whose clock lags a little
 *       is not missed;
 *   <li>a sid is held until its revocation time ({@code at}, never later than when we received it,
 *       by the wall clock) plus {@code retention}, the longest a token of that session can live;
 *   <li>a failed poll changes nothing: the held sids keep being refused.
 * </ul>
 */
public final class RevocationFeed
    implements RevokedSessions, PolledDocument.Reader<RevocationFeed.Held> {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationFeed.class);

  /** Revoked sid → revocation time, and the {@code now} of the last answer. */
  record Held(Map<String, Instant> revoked, long serverNow) {}

  private final Duration retention;
  private final Duration sinceOverlap;
  private final Clock clock;
  private final PolledDocument<Held> document;

  public RevocationFeed(
      Endpoint endpoint,
      Duration pollInterval,
      Duration backgroundCheck,
      Duration retention,
      Duration sinceOverlap,
      Clock clock,
      LongSupplier ticker) {
    this.retention = retention;
    this.sinceOverlap = sinceOverlap;
    this.clock = clock;
    Schedule everyInterval = new Schedule(pollInterval, pollInterval, backgroundCheck);
    this.document =
        new PolledDocument<>("revocations", endpoint, everyInterval, this, ticker).start();
  }

  @Override
  public boolean isRevoked(String sid) {
    PolledDocument.Held<Held> held = document.held();
    if (sid == null || held == null) {
      return false;
    }
    Instant at = held.value().revoked().get(sid);
    return at != null && clock.instant().isBefore(at.plus(retention));
  }

  @Override
  public boolean pollNow() {
    return document.fetchNow();
  }

  /** Entries counts revoked sids held, including any past retention not yet pruned by a poll. */
  @Override
  public SourceStats stats() {
    PolledDocument.Held<Held> held = document.held();
    return document.stats(held == null ? 0 : held.value().revoked().size());
  }

  @Override
  public void close() {
    document.close();
  }

  @Override
  public URI uri(URI endpoint, Held held) {
    long since = held == null ? 0 : Math.max(0, held.serverNow() - sinceOverlap.toSeconds());
    return RevocationFeedFormat.withSince(endpoint, since);
  }

  @Override
  public Held read(Held held, byte[] body) throws ParseException {
    RevocationFeedFormat.Page page =
        RevocationFeedFormat.parse(new String(body, StandardCharsets.UTF_8));
    Instant received = clock.instant();
    Map<String, Instant> next = new HashMap<>(held == null ? Map.of() : held.revoked());
    for (RevocationFeedFormat.Entry e : page.revoked()) {
      // A revocation time ahead of our clock is taken as now, so a wrong "at" cannot pin a sid.
      Instant at = Instant.ofEpochSecond(e.at());
      next.merge(e.sid(), at.isAfter(received) ? received : at, RevocationFeed::later);
    }
    Instant horizon = received.minus(retention);
    next.values().removeIf(at -> !at.isAfter(horizon));
    LOG.debug("revocation feed: {} listed, {} held", page.revoked().size(), next.size());
    return new Held(Map.copyOf(next), page.now());
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
