package dev.latchkey.server.http.feed;

import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.sessions.Revocation;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.verifier.wire.RevocationFeedFormat;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /api/revocations?since=EPOCH_SECONDS}: the sessions revoked since then, which
 * verifiers poll (see {@link RevocationFeedFormat} for the format), cacheable for one poll
 * interval.
 */
public final class RevocationFeedRoute {
  private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");

  private final Sessions sessions;
  private final Clock clock;
  private final Duration pollInterval;

  public RevocationFeedRoute(Sessions sessions, Clock clock, Duration pollInterval) {
    this.sessions = sessions;
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  public void handle(Context ctx) {
    Instant since = since(ctx.queryParam(RevocationFeedFormat.SINCE));
    List<RevocationFeedFormat.Entry> revoked = new ArrayList<>();
    for (Revocation r : sessions.revokedSince(since)) {
      revoked.add(new RevocationFeedFormat.Entry(r.sid(), r.at().getEpochSecond()));
    }
    String body = RevocationFeedFormat.write(revoked, clock.instant().getEpochSecond());
    Caching.publicFor(ctx, pollInterval);
    Json.writeRaw(ctx, 200, body);
  }

  private static Instant since(String since) {
    if (since == null) {
      return Instant.EPOCH;
    }
    if (!EPOCH_SECONDS.matcher(since).matches()) {
      throw ApiError.badRequest("'since' must be a time in epoch seconds, e.g. since=1700000000.");
    }
    return Instant.ofEpochSecond(Long.parseLong(since));
  }
}
