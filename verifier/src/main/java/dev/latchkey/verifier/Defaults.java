package dev.latchkey.verifier;

import com.nimbusds.jose.JWSAlgorithm;
import dev.latchkey.verifier.wire.TokenType;
import java.time.Duration;
import java.util.Set;

/**
 * Every default of the verifier, named once with the reason for its value (the wire names, such as
 * the XSRF cookie and header, are in {@link dev.latchkey.verifier.wire}). docs/verifier.md repeats
 * this table; change both together.
 */
public final class Defaults {
  private Defaults() {}

  /** RS256 only: Latchkey signs with 2048-bit RSA keys; anything else is configured explicitly. */
  public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256);

  /** {@code at+jwt} (RFC 9068 / RFC 8725 §3.11 explicit typing): Latchkey tokens carry it. */
  public static final Set<String> TYPES = Set.of(TokenType.ACCESS_TOKEN);

  /**
   * 60 s of clock skew for exp, nbf and iat: enough for NTP-synchronised hosts, small against a
   * session lifetime of hours (and Nimbus's own default).
   */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  /**
   * 8 KiB token cap, checked before any decoding: a Latchkey token is under 1 KiB, and 8 KiB is the
   * common request-header line limit of proxies, so anything longer is an attack or a mistake.
   */
  public static final int MAX_TOKEN_LENGTH = 8 * 1024;

  /**
   * JSON nesting depth 16 for header, payload and JWK Set: real documents nest 2-4 levels; the
   * bound keeps parsers' recursion and work small on hostile input.
   */
  public static final int MAX_JSON_DEPTH = 16;

  /**
   * A fetched JWK Set is fresh for 10 h (jwks-rsa's {@code cacheMaxAge}): rotation is picked up on
   * the first unknown kid, so the TTL only bounds how long a removed (revoked) key keeps working.
   * Lower it (or call {@link JwtVerifier#refreshKeys()}) when revocation must be faster.
   */
  public static final Duration JWKS_CACHE_TTL = Duration.ofHours(10);

  /**
   * At most 5 keys held from a JWK Set (jwks-rsa's {@code cacheMaxEntries}): a rotating issuer
   * publishes previous, current and next; more is a misconfiguration and is trimmed (logged).
   */
  public static final int JWKS_MAX_KEYS = 5;

  /**
   * The background refresh starts 5 min before the TTL ends, so no request waits on a fetch and a
   * failing endpoint gets several rate-limited retries before the TTL runs out.
   */
  public static final Duration JWKS_REFRESH_AHEAD = Duration.ofMinutes(5);

  /**
   * 10 fetches a minute (jwks-rsa's {@code jwksRequestsPerMinute}), enforced as one fetch per 6 s:
   * a flood of tokens with random kids causes at most one fetch per 6 s window.
   */
  public static final int JWKS_FETCHES_PER_MINUTE = 10;

  /**
   * 1 s to connect: the JWKS endpoint is near (same site); failing fast keeps requests moving. The
   * revocation feed uses the same connect and read timeouts by default.
   */
  public static final Duration JWKS_CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /**
   * 5 s for the whole response (headers and body). A first fetch holds the first requests, so it is
   * bounded; but an auth server that has just started answers its first request slowly (class
   * loading, JIT, key decoding), and 2 s proved too tight on a busy two-core host: the fetch timed
   * out and the first tokens were refused as {@code keys_unavailable}. Later fetches happen in the
   * background, where the wait costs nothing. (jwks-rsa waits 30 s.)
   */
  public static final Duration JWKS_READ_TIMEOUT = Duration.ofSeconds(5);

  /**
   * 50 KiB response cap (Nimbus's {@code DefaultResourceRetriever} default): five RSA keys with x5c
   * chains are about 15 KiB; a bigger body is refused unread.
   */
  public static final int JWKS_MAX_RESPONSE_BYTES = 50 * 1024;

  /**
   * When the endpoint fails after the TTL, held keys keep verifying for 2 h more (one Latchkey
   * session lifetime): restarts and failovers are invisible to users, yet someone able to break the
   * endpoint cannot keep a removed key alive indefinitely.
   */
  public static final Duration JWKS_OUTAGE_WINDOW = Duration.ofHours(2);

  /**
   * The background thread sleeps at most 15 s between checks whether a refresh is due (cheap: no
   * fetch unless due); with the system ticker it otherwise sleeps until the refresh is due.
   */
  public static final Duration JWKS_BACKGROUND_CHECK = Duration.ofSeconds(15);

  /**
   * 32 768 verified tokens cached (when the cache is on): measured at 1 507 bytes an entry (a real
   * 804-character session token's parsed claims, the result and Caffeine's node; used heap after
   * full collections before and after 20 000 entries, bench's CacheEntryBytes), so about 50 MB when
   * full and 30 MB for 20 000 active sessions. It holds the 20 000 active sessions of a busy
   * application server with room to spare (4 096 made every such request an RSA verification). Each
   * entry expires at its token's exp; beyond the bound, Caffeine's W-TinyLFU keeps the tokens that
   * come back most often, and once full a token enters at its second sighting.
   */
  public static final int VERIFIED_TOKEN_CACHE_SIZE = 32_768;

  /**
   * The revocation feed is polled every 30 s: the auth server answers with {@code Cache-Control:
   * max-age=30}, so polling faster mostly re-reads cached answers; a revoked session is then
   * refused within poll interval + max-age (60 s) of its revocation, small against a 2 h session,
   * for one small request per application server every 30 s.
   */
  public static final Duration REVOCATION_POLL_INTERVAL = Duration.ofSeconds(30);

  /**
   * The length of a Latchkey session (the auth server's default token lifetime, {@code expiresIn
   * 7200}): no token of a session outlives it.
   */
  public static final Duration SESSION_LENGTH = Duration.ofHours(2);

  /**
   * 1 MiB revocation feed response cap: an entry is about 70 bytes, so the first poll (the whole 2
   * h window) can list about 15 000 revoked sessions; a bigger body is refused unread and counted
   * as a failed poll (raise the cap for bigger deployments).
   */
  public static final int REVOCATION_MAX_RESPONSE_BYTES = 1024 * 1024;

  /**
   * The poller thread wakes at least every 5 s to see whether a poll is due by the verifier's
   * ticker; with the system ticker it sleeps exactly until the next poll is due.
   */
  public static final Duration REVOCATION_BACKGROUND_CHECK = Duration.ofSeconds(5);

  /** 256 bits: RFC 7518 §3.2 requires an HS256 key at least as long as the hash output. */
  public static final int MIN_HMAC_SECRET_BYTES = 32;
}
