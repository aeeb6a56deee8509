package dev.latchkey.server.keys;

import com.nimbusds.jose.jwk.JWKSet;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.revocation.RevocationLog;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys in the database and their life cycle. Every change of state happens here, in one
 * transaction that holds the {@code signing_keys} row lock, so several auth server instances
 * sharing a database never rotate at the same time and a crash leaves a consistent set: a key is
 * committed (encrypted) before anything publishes or uses it. What changes when is decided by
 * {@link KeySchedule}.
 */
public final class SigningKeys {
  private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

  private final Database db;
  private final KeySettings settings;
  private final KeySchedule schedule;
  private final KeyChanges steps;
  private final KeySnapshot snapshot;
  private final Clock clock;
  private final Audit audit;

  /**
   * How often a running server reads the published keys again: the longest a key published or
   * revoked by another instance or an operator command takes to show in this server's JWK Set.
   */
  public static final Duration PUBLISHED_REFRESH = Duration.ofSeconds(1);

  /**
   * @param tokenLifetime the longest lifetime of a token these keys sign (the access token length
   *     with refresh, the session length without): a retired key stays published this long (plus
   *     the clock skew) after its last signature, and a revoked key is listed in the revocation
   *     feed as long
   * @param revocations where a revoked key is listed
   */
  public SigningKeys(
      Database db,
      MasterKey masterKey,
      KeySettings settings,
      Duration tokenLifetime,
      RevocationLog revocations,
      Clock clock,
      Audit audit) {
    this.db = db;
    this.audit = audit;
    this.settings = settings;
    this.schedule = new KeySchedule(settings, tokenLifetime);
    this.steps = new KeyChanges(masterKey, settings, schedule.retention(), revocations);
    this.snapshot = new KeySnapshot(db, masterKey);
    this.clock = clock;
  }

  /** How long a retired key stays published after its last signature: token lifetime + skew. */
  public Duration retention() {
    return schedule.retention();
  }

  /** How long verifiers may cache the JWK Set. */
  public Duration jwksMaxAge() {
    return settings.jwksMaxAge();
  }

  /** Every key ever made, oldest first (gone and revoked ones without their private part). */
  public List<SigningKeyInfo> list() {
    return db.inTransaction(KeyRows::all);
  }

  /**
   * The keys in the JWK Set, active first, then next, then retired, as last read (see {@link
   * #refreshPublished}).
   */
  public List<SigningKeyInfo> published() {
    return snapshot.published().keys();
  }

  /** The public JWK Set: every published key, public parameters only, as last read. */
  public JWKSet publicJwkSet() {
    return snapshot.published().jwkSet();
  }

  /**
   * Reads the published keys again. JWKS and discovery requests, and every signature, are served
   * from the last read, never from the database: a login flood holding the connection pool, or a
   * database outage, does not slow them or take them down. A change made here replaces the read at
   * once; the server calls this every {@link #PUBLISHED_REFRESH} for the changes of other instances
   * and operator commands.
   */
  public PublishedKeys refreshPublished() {
    return snapshot.refresh();
  }

  /**
   * The key that signs now, with its signer (decrypted once per kid and kept in memory), from the
   * last read of the keys: no database read per signature. A key promoted or revoked by another
   * instance or an operator command signs, or stops signing, here within {@link
   * #PUBLISHED_REFRESH}.
   */
  public ActiveKey active() {
    return snapshot.active();
  }

  /**
   * What signing needs and no more: the active key from the in-memory snapshot, without the life
   * cycle (a token issuer cannot create, promote or revoke keys).
   */
  public KeySnapshot snapshot() {
    return snapshot;
  }

  /**
   * Makes sure a key signs: on a fresh database creates the first key and makes it active at once
   * (no verifier can have cached anything yet). Also checks that the master key opens it.
   *
   * @return what changed, empty when nothing did
   */
  public List<String> ensureActiveKey() {
    List<String> changes = maintain();
    active();
    return changes;
  }

  /**
   * Applies the rotation schedule at the clock's current time: creates the next key when due,
   * promotes it when due, and removes retired keys whose tokens have all expired.
   *
   * @return what changed, empty when nothing did
   */
  public List<String> maintain() {
    return locked(schedule::due);
  }

  /**
   * Rotates as soon as it is safe: promotes the next key if it has been published for one JWKS
   * max-age, otherwise publishes (or keeps) a next key and brings its activation forward to one
   * max-age after its publication.
   *
   * @return what changed
   */
  public List<String> rotate() {
    return locked(schedule::rotateNow);
  }

  /**
   * Rotates without waiting one JWKS max-age: the next key (created if missing) signs at once, the
   * active one retires. Verifiers that cached the JWK Set before the new key was published reject
   * its tokens until they refetch.
   *
   * @return what changed
   */
  public List<String> rotateImmediately() {
    return locked(schedule::rotateImmediately);
  }

  /**
   * Revokes a key: it leaves the JWK Set at once and its private key is erased. Revoking the active
   * key promotes the next key, or creates a new active key, immediately.
   *
   * @return what changed
   * @throws UnknownKeyException when no key has this kid
   */
  public List<String> revoke(String kid) {
    return locked((keys, now) -> schedule.revoke(keys, kid));
  }

  /**
   * Decides and applies steps under the {@code signing_keys} lock; returns what changed. The audit
   * events are written once the transaction has committed.
   */
  private List<String> locked(BiFunction<List<SigningKeyInfo>, Instant, List<KeyStep>> decide) {
    List<SigningKeyInfo> after = new ArrayList<>();
    List<KeyChanges.Applied> changes =
        db.inTransaction(
            c -> {
              Sql.one(
                  c,
                  "SELECT name FROM latchkey_locks WHERE name = 'signing_keys' FOR UPDATE",
                  rs -> true);
              Instant now = clock.instant();
              List<KeyChanges.Applied> done = new ArrayList<>();
              for (KeyStep step : decide.apply(KeyRows.all(c), now)) {
                done.add(steps.apply(c, step, now));
              }
              after.clear();
              if (!done.isEmpty()) {
                after.addAll(KeyRows.all(c)); // what this change made, read under its lock
              }
              return done;
            });
    if (!changes.isEmpty()) {
      snapshot.replace(after); // a retired or revoked key stops signing here at once
    }
    List<String> described = new ArrayList<>(changes.size());
    for (KeyChanges.Applied change : changes) {
      log.info("Signing keys: {}", change.description());
      if (change.event() != null) {
        audit.record(change.event(), change.fields());
      }
      described.add(change.description());
    }
    return described;
  }
}
