package dev.latchkey.verifier.wire;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The revocation feed: {@code GET {issuer}/api/revocations?since=<epoch seconds>} answers
 *
 * <pre>{@code {"revoked":[{"sid":"…","at":<epoch seconds>},…],"now":<epoch seconds>}}</pre>
 *
 * listing the sessions revoked at or after {@code since}; {@code now} is the server's time of the
 * answer, from which the client derives its next {@code since}. The auth server writes it with
 * {@link #write}; the verifier reads it with {@link #parse}, which refuses the whole answer unless
 * it has exactly this shape.
 */
public final class RevocationFeedFormat {
  /** The query parameter: epoch seconds; the first poll asks {@code 0}. */
  public static final String SINCE = "since";

  public static final String REVOKED = "revoked";
  public static final String SID = "sid";
  public static final String AT = "at";
  public static final String NOW = "now";

  /** The longest sid accepted: real ones are UUIDs; a longer one is a broken or hostile feed. */
  public static final int MAX_SID_LENGTH = 256;

  /** Epoch seconds beyond this (year 5138) are not a time but a broken feed. */
  private static final long MAX_EPOCH_SECONDS = 100_000_000_000L;

  /** One revoked session: its id and when it was revoked, in epoch seconds. */
  public record Entry(String sid, long at) {}

  /** One answer: the revoked sessions and the server's time of the answer. */
  public record Page(List<Entry> revoked, long now) {}

  private RevocationFeedFormat() {}

  /** The feed URL asking for revocations since {@code since} (appended to any query it has). */
  public static URI withSince(URI feed, long since) {
    String s = feed.toString();
    return URI.create(s + (feed.getRawQuery() == null ? "?" : "&") + SINCE + "=" + since);
  }

  /** The JSON answer, members in the documented order. */
  public static String write(List<Entry> revoked, long now) {
    List<Map<String, Object>> entries = new ArrayList<>(revoked.size());
    for (Entry e : revoked) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put(SID, e.sid());
      entry.put(AT, e.at());
      entries.add(entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(REVOKED, entries);
    body.put(NOW, now);
    return JSONObjectUtils.toJSONString(body);
  }

  /**
   * Reads an answer. Callers bound the JSON nesting depth first.
   *
   * @throws ParseException unless the text is exactly the documented shape: {@code now} and every
   *     {@code at} whole non-negative epoch seconds, every {@code sid} a non-empty string of at
   *     most {@value #MAX_SID_LENGTH} characters
   */
  public static Page parse(String json) throws ParseException {
    Map<String, Object> body = JSONObjectUtils.parse(json);
    long now = epochSeconds(body.get(NOW), NOW);
    if (!(body.get(REVOKED) instanceof List<?> list)) {
      throw new ParseException("\"" + REVOKED + "\" is not an array", 0);
    }
    List<Entry> revoked = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> entry)) {
        throw new ParseException("a \"" + REVOKED + "\" entry is not an object", 0);
      }
      if (!(entry.get(SID) instanceof String sid)
          || sid.isEmpty()
          || sid.length() > MAX_SID_LENGTH) {
        throw new ParseException("a \"" + REVOKED + "\" entry has no valid sid", 0);
      }
      revoked.add(new Entry(sid, epochSeconds(entry.get(AT), AT)));
    }
    return new Page(List.copyOf(revoked), now);
  }

  private static long epochSeconds(Object value, String name) throws ParseException {
    if (value instanceof Long l && l >= 0 && l < MAX_EPOCH_SECONDS) {
      return l;
    }
    throw new ParseException("\"" + name + "\" is not epoch seconds", 0);
  }
}
