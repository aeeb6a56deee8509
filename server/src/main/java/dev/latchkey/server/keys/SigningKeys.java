package dev.latchkey.server.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.revocation.RevocationLog;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
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
  private static final String SELECT =
      "SELECT kid, algorithm, state, public_jwk, created_at, activates_at, activated_at,"
          + " retired_at, removes_at, revoked_at FROM signing_keys";

  private final Database db;
  private final MasterKey masterKey;
  private final KeySettings settings;
  private final KeySchedule schedule;
  private final Clock clock;
  private final Audit audit;
  private final RevocationLog revocations;
  private final Map<String, ActiveKey> signers = new ConcurrentHashMap<>();
  private final AtomicReference<PublishedKeys> publishedSnapshot = new AtomicReference<>();

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
    this.revocations = revocations;
    this.audit = audit;
    this.masterKey = masterKey;
    this.settings = settings;
    this.schedule = new KeySchedule(settings, tokenLifetime);
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
    return db.inTransaction(SigningKeys::all);
  }

  /**
   * The keys in the JWK Set, active first, then next, then retired, as last read (see {@link
   * #refreshPublished}).
   */
  public List<SigningKeyInfo> published() {
    return publishedKeys().keys();
  }

  private static int publishOrder(KeyState state) {
    return switch (state) {
      case ACTIVE -> 0;
      case NEXT -> 1;
      default -> 2;
    };
  }

  /** The public JWK Set: every published key, public parameters only, as last read. */
  public JWKSet publicJwkSet() {
    return publishedKeys().jwkSet();
  }

  private PublishedKeys publishedKeys() {
    PublishedKeys known = publishedSnapshot.get();
    return known != null ? known : refreshPublished();
  }

  /**
   * Reads the published keys again. JWKS and discovery requests are answered from the last read,
   * never from the database: a login flood holding the connection pool, or a database outage, does
   * not slow them or take them down. A change made here reads them at once; the server calls this
   * every {@link #PUBLISHED_REFRESH} for the changes of other instances and operator commands.
   */
  public PublishedKeys refreshPublished() {
    List<SigningKeyInfo> keys =
        list().stream()
            .filter(k -> k.state().published())
            .sorted(Comparator.comparingInt(k -> publishOrder(k.state())))
            .toList();
    List<JWK> jwks = new ArrayList<>();
    for (SigningKeyInfo key : keys) {
      try {
        jwks.add(JWK.parse(key.publicJwk()).toPublicJWK());
      } catch (ParseException e) {
        throw new IllegalStateException("stored public JWK of " + key.kid() + " is unreadable", e);
      }
    }
    PublishedKeys fresh = new PublishedKeys(keys, new JWKSet(jwks));
    publishedSnapshot.set(fresh);
    return fresh;
  }

  /** The keys of the JWK Set and the set itself, read together. */
  public record PublishedKeys(List<SigningKeyInfo> keys, JWKSet jwkSet) {}

  /** The key that signs now, with its signer (decrypted once per kid and kept in memory). */
  public ActiveKey active() {
    String[] kidAndAlg =
        db.queryOne(
                "SELECT kid, algorithm FROM signing_keys WHERE state = 'ACTIVE'",
                rs -> new String[] {rs.getString(1), rs.getString(2)})
            .orElseThrow(() -> new IllegalStateException("there is no active signing key"));
    ActiveKey cached = signers.get(kidAndAlg[0]);
    if (cached != null) {
      return cached;
    }
    ActiveKey loaded = load(kidAndAlg[0], kidAndAlg[1]);
    if (signers.size() > 8) {
      signers.clear();
    }
    signers.put(loaded.kid(), loaded);
    return loaded;
  }

  private ActiveKey load(String kid, String alg) {
    String sealed =
        db.queryOne(
                "SELECT private_key_enc FROM signing_keys WHERE kid = ?",
                rs -> rs.getString(1),
                kid)
            .orElse(null);
    if (sealed == null) {
      throw new IllegalStateException("signing key " + kid + " has no private key");
    }
    JWSSigner signer = KeyMaterial.signer(alg, masterKey.decrypt(sealed, kid));
    return new ActiveKey(kid, JWSAlgorithm.parse(alg), signer);
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
   * One applied step: what the operator reads, and the audit event with its fields (none for a step
   * that changes no key's state).
   */
  private record Applied(String description, AuditEvent event, Object... fields) {
    Applied(String description) {
      this(description, null);
    }
  }

  /**
   * Decides and applies steps under the {@code signing_keys} lock; returns what changed. The audit
   * events are written once the transaction has committed.
   */
  private List<String> locked(BiFunction<List<SigningKeyInfo>, Instant, List<KeyStep>> decide) {
    List<Applied> changes =
        db.inTransaction(
            c -> {
              Sql.one(
                  c,
                  "SELECT name FROM latchkey_locks WHERE name = 'signing_keys' FOR UPDATE",
                  rs -> true);
              Instant now = clock.instant();
              List<Applied> done = new ArrayList<>();
              for (KeyStep step : decide.apply(all(c), now)) {
                done.add(apply(c, step, now));
              }
              return done;
            });
    if (!changes.isEmpty()) {
      try {
        refreshPublished();
      } catch (RuntimeException e) {
        log.debug("Published keys not read again after a change; the next refresh will", e);
      }
    }
    List<String> described = new ArrayList<>(changes.size());
    for (Applied change : changes) {
      log.info("Signing keys: {}", change.description());
      if (change.event() != null) {
        audit.record(change.event(), change.fields());
      }
      described.add(change.description());
    }
    return described;
  }

  private Applied apply(Connection c, KeyStep step, Instant now) throws SQLException {
    if (step instanceof KeyStep.CreateActive) {
      String kid = insert(c, KeyState.ACTIVE, now, null);
      return new Applied(
          "created key " + kid + " (" + settings.algorithm() + "); it signs from now on",
          AuditEvent.KEY_CREATED,
          "kid",
          kid,
          "algorithm",
          settings.algorithm(),
          "state",
          "active");
    } else if (step instanceof KeyStep.CreateNext next) {
      String kid = insert(c, KeyState.NEXT, now, next.activatesAt());
      return new Applied(
          "published next key "
              + kid
              + " ("
              + settings.algorithm()
              + "); it starts signing at "
              + next.activatesAt(),
          AuditEvent.KEY_CREATED,
          "kid",
          kid,
          "algorithm",
          settings.algorithm(),
          "state",
          "next",
          "activates_at",
          next.activatesAt().toString());
    } else if (step instanceof KeyStep.Retire retire) {
      Sql.update(
          c,
          "UPDATE signing_keys SET state = 'RETIRED', retired_at = ?, removes_at = ? WHERE kid = ?",
          now,
          retire.removesAt(),
          retire.kid());
      return new Applied(
          "retired key " + retire.kid() + " (stays published until " + retire.removesAt() + ")",
          AuditEvent.KEY_RETIRED,
          "kid",
          retire.kid(),
          "removes_at",
          retire.removesAt().toString());
    } else if (step instanceof KeyStep.Activate activate) {
      Sql.update(
          c,
          "UPDATE signing_keys SET state = 'ACTIVE', activated_at = ? WHERE kid = ?",
          now,
          activate.kid());
      return new Applied(
          "key " + activate.kid() + " now signs (was next)",
          AuditEvent.KEY_ACTIVATED,
          "kid",
          activate.kid());
    } else if (step instanceof KeyStep.Reschedule later) {
      Sql.update(
          c,
          "UPDATE signing_keys SET activates_at = ? WHERE kid = ?",
          later.activatesAt(),
          later.kid());
      return new Applied(
          "next key "
              + later.kid()
              + " will start signing at "
              + later.activatesAt()
              + " (one JWKS max-age after it was published)");
    } else if (step instanceof KeyStep.Remove remove) {
      Sql.update(
          c,
          "UPDATE signing_keys SET state = 'GONE', private_key_enc = NULL WHERE kid = ?",
          remove.kid());
      return new Applied(
          "removed retired key " + remove.kid() + " (every token it signed has expired)",
          AuditEvent.KEY_REMOVED,
          "kid",
          remove.kid());
    } else if (step instanceof KeyStep.Revoke revoke) {
      // The last token it can have signed: a retired key's removal time, else one lifetime on.
      Instant mattersUntil =
          Sql.one(
                  c,
                  "SELECT removes_at FROM signing_keys WHERE kid = ? AND state = 'RETIRED'",
                  rs -> Sql.instant(rs, "removes_at"),
                  revoke.kid())
              .filter(at -> at != null)
              .orElse(now.plus(schedule.retention()));
      revocations.recordKey(c, revoke.kid(), now, mattersUntil);
      Sql.update(
          c,
          "UPDATE signing_keys SET state = 'REVOKED', revoked_at = ?, private_key_enc = NULL"
              + " WHERE kid = ?",
          now,
          revoke.kid());
      return new Applied(
          "revoked key "
              + revoke.kid()
              + " (was "
              + revoke.was().label()
              + "; listed in the revocation feed until "
              + mattersUntil
              + ")",
          AuditEvent.KEY_REVOKED,
          "kid",
          revoke.kid(),
          "was",
          revoke.was().label());
    } else {
      return new Applied(((KeyStep.Unchanged) step).note());
    }
  }

  private String insert(Connection c, KeyState state, Instant now, Instant activatesAt)
      throws SQLException {
    KeyMaterial.Generated key = KeyMaterial.generate(settings.algorithm(), now);
    Sql.update(
        c,
        "INSERT INTO signing_keys (kid, algorithm, state, public_jwk, private_key_enc,"
            + " created_at, activates_at, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        key.kid(),
        key.algorithm(),
        state.name(),
        key.publicJwk().toPublicJWK().toJSONString(),
        masterKey.encrypt(key.pkcs8(), key.kid()),
        now,
        activatesAt,
        state == KeyState.ACTIVE ? now : null);
    return key.kid();
  }

  private static List<SigningKeyInfo> all(Connection c) throws SQLException {
    return Sql.list(c, SELECT + " ORDER BY created_at, kid", SigningKeys::row);
  }

  private static SigningKeyInfo row(ResultSet rs) throws SQLException {
    return new SigningKeyInfo(
        rs.getString("kid"),
        rs.getString("algorithm"),
        KeyState.valueOf(rs.getString("state")),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "activates_at"),
        Sql.instant(rs, "activated_at"),
        Sql.instant(rs, "retired_at"),
        Sql.instant(rs, "removes_at"),
        Sql.instant(rs, "revoked_at"),
        rs.getString("public_jwk"));
  }
}
