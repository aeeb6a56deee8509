package dev.latchkey.verifier.wire;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The revocation feed: {@code GET {issuer}/api/revocations?after=<cursor>} answers
 *
 * <pre>{@code
 * {"revoked":[{"sid":"…","at":<epoch s>,"until":<epoch s>},…],
 *  "keys":[{"kid":"…","at":<epoch s>,"until":<epoch s>},…],
 *  "cursor":<n>,"snapshot":<boolean>,"now":<epoch s>}
 * }</pre>
 *
 * <ul>
 *   <li>{@code revoked}: revoked sessions; {@code keys}: revoked signing keys. {@code at} is when
 *       (informational, by the revoking instance's clock); {@code until} is the {@code exp} of the
 *       last token the session or key can have produced: a verifier holds the entry until then
 *       (plus its clock skew) and may drop it after.
 *   <li>{@code cursor} is the auth server's revocation sequence (a database sequence, so no
 *       instance clock orders it): the answer lists every revocation still mattering whose number
 *       is above {@code after}, and {@code cursor} is the number to ask after next time.
 *   <li>{@code snapshot} true: the answer lists every revocation still mattering (the first poll
 *       without {@code after}, a cursor older than the retained entries, or one the server does not
 *       know); the client replaces what it holds instead of adding.
 * </ul>
 *
 * <p>Before the cursor, clients asked {@code ?since=<epoch seconds>}; the auth server still answers
 * it (entries revoked at or after that time, by the revoking instance's clock, {@code snapshot}
 * false), but it is deprecated: instance clocks can make it skip revocations.
 *
 * <p>The auth server writes it with {@link #write}; the verifier reads it with {@link #parse},
 * which refuses the whole answer unless it has exactly this shape.
 */
public final class RevocationFeedFormat {
  /** The query parameter: the previous answer's {@code cursor}; absent on the first poll. */
  public static final String AFTER = "after";

  /** The deprecated query parameter of clients before the cursor: epoch seconds. */
  public static final String SINCE = "since";

  public static final String REVOKED = "revoked";
  public static final String KEYS = "keys";
  public static final String SID = "sid";
  public static final String KID = "kid";
  public static final String AT = "at";
  public static final String UNTIL = "until";
  public static final String CURSOR = "cursor";
  public static final String SNAPSHOT = "snapshot";
  public static final String NOW = "now";

  /** The longest sid or kid accepted: real ones are short; a longer one is a broken feed. */
  public static final int MAX_SID_LENGTH = 256;

  /** Epoch seconds beyond this (year 5138) are not a time but a broken feed. */
  private static final long MAX_EPOCH_SECONDS = 100_000_000_000L;

  /** One revoked session or key: its id, when it was revoked and until when it matters. */
  public record Entry(String id, long at, long until) {}

  /** One answer. */
  public record Page(
      List<Entry> sessions, List<Entry> keys, long cursor, boolean snapshot, long now) {}

  private RevocationFeedFormat() {}

  /**
   * The feed URL asking for revocations after {@code cursor} (appended to any query it has); a
   * negative cursor asks for a snapshot.
   */
  public static URI withCursor(URI feed, long cursor) {
    if (cursor < 0) {
      return feed;
    }
    String s = feed.toString();
    return URI.create(s + (feed.getRawQuery() == null ? "?" : "&") + AFTER + "=" + cursor);
  }

  /** The JSON answer, members in the documented order. */
  public static String write(Page page) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(REVOKED, entries(page.sessions(), SID));
    body.put(KEYS, entries(page.keys(), KID));
    body.put(CURSOR, page.cursor());
    body.put(SNAPSHOT, page.snapshot());
    body.put(NOW, page.now());
    return JSONObjectUtils.toJSONString(body);
  }

  private static List<Map<String, Object>> entries(List<Entry> list, String idName) {
    List<Map<String, Object>> entries = new ArrayList<>(list.size());
    for (Entry e : list) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put(idName, e.id());
      entry.put(AT, e.at());
      entry.put(UNTIL, e.until());
      entries.add(entry);
    }
    return entries;
  }

  /**
   * Reads an answer. Callers bound the JSON nesting depth first.
   *
   * @throws ParseException unless the text is exactly the documented shape: {@code now}, every
   *     {@code at} and {@code until} whole non-negative epoch seconds, {@code cursor} a
   *     non-negative integer, {@code snapshot} a boolean, every id a non-empty string of at most
   *     {@value #MAX_SID_LENGTH} characters
   */
  public static Page parse(String json) throws ParseException {
    Map<String, Object> body = JSONObjectUtils.parse(json);
    long now = epochSeconds(body.get(NOW), NOW);
    if (!(body.get(CURSOR) instanceof Long cursor) || cursor < 0) {
      throw new ParseException("\"" + CURSOR + "\" is not a non-negative integer", 0);
    }
    if (!(body.get(SNAPSHOT) instanceof Boolean snapshot)) {
      throw new ParseException("\"" + SNAPSHOT + "\" is not a boolean", 0);
    }
    return new Page(
        entries(body.get(REVOKED), REVOKED, SID),
        entries(body.get(KEYS), KEYS, KID),
        cursor,
        snapshot,
        now);
  }

  private static List<Entry> entries(Object value, String name, String idName)
      throws ParseException {
    if (!(value instanceof List<?> list)) {
      throw new ParseException("\"" + name + "\" is not an array", 0);
    }
    List<Entry> entries = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> entry)) {
        throw new ParseException("a \"" + name + "\" entry is not an object", 0);
      }
      if (!(entry.get(idName) instanceof String id)
          || id.isEmpty()
          || id.length() > MAX_SID_LENGTH) {
        throw new ParseException("a \"" + name + "\" entry has no valid " + idName, 0);
      }
      entries.add(
          new Entry(id, epochSeconds(entry.get(AT), AT), epochSeconds(entry.get(UNTIL), UNTIL)));
    }
    return List.copyOf(entries);
  }

  private static long epochSeconds(Object value, String name) throws ParseException {
    if (value instanceof Long l && l >= 0 && l < MAX_EPOCH_SECONDS) {
      return l;
    }
    throw new ParseException("\"" + name + "\" is not epoch seconds", 0);
  }
}
