package dev.latchkey.server.http.feed;

import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.revocation.RevocationLog;
import dev.latchkey.verifier.wire.RevocationFeedFormat;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /api/revocations?after=CURSOR}: the revoked sessions and signing keys numbered after
 * the cursor (a snapshot without one), which verifiers poll, in the verifier's {@link
 * RevocationFeedFormat} (the one definition of the format); cacheable for one poll interval. The
 * deprecated {@code ?since=EPOCH_SECONDS} of older verifiers is still answered.
 */
public final class RevocationFeedRoute {
  private static final Pattern CURSOR = Pattern.compile("\\d{1,18}");
  private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");

  private final RevocationLog log;
  private final Clock clock;
  private final Duration pollInterval;

  public RevocationFeedRoute(RevocationLog log, Clock clock, Duration pollInterval) {
    this.log = log;
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  public void handle(Context ctx) {
    String after = ctx.queryParam(RevocationFeedFormat.AFTER);
    String since = ctx.queryParam(RevocationFeedFormat.SINCE);
    RevocationLog.Page page;
    if (after != null) {
      page = log.after(number(after, CURSOR, RevocationFeedFormat.AFTER));
    } else if (since != null) {
      page =
          log.since(
              Instant.ofEpochSecond(number(since, EPOCH_SECONDS, RevocationFeedFormat.SINCE)));
    } else {
      page = log.after(-1);
    }
    List<RevocationFeedFormat.Entry> sessions = new ArrayList<>();
    List<RevocationFeedFormat.Entry> keys = new ArrayList<>();
    for (RevocationLog.Entry e : page.entries()) {
      RevocationFeedFormat.Entry entry =
          new RevocationFeedFormat.Entry(
              e.id(), e.revokedAt().getEpochSecond(), ceilSeconds(e.mattersUntil()));
      (e.kind() == RevocationLog.Kind.KEY ? keys : sessions).add(entry);
    }
    String body =
        RevocationFeedFormat.write(
            new RevocationFeedFormat.Page(
                sessions, keys, page.cursor(), page.snapshot(), clock.instant().getEpochSecond()));
    Caching.publicFor(ctx, pollInterval);
    ctx.status(200).contentType("application/json").result(body);
  }

  private static long ceilSeconds(Instant t) {
    return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
  }

  private static long number(String value, Pattern shape, String name) {
    if (!shape.matcher(value).matches()) {
      throw ApiError.badRequest(
          "'" + name + "' must be a whole non-negative number, e.g. " + name + "=42.");
    }
    return Long.parseLong(value);
  }
}
