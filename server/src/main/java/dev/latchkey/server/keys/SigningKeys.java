package dev.latchkey.server.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys in the database and their life cycle. Every change of state happens here, in one
 * transaction that holds the {@code signing_keys} row lock, so several auth server instances
 * sharing a database never rotate at the same time and a crash leaves a consistent set: a key is
 * committed (encrypted) before anything publishes or uses it.
 *
 * <p>The schedule: a {@code next} key is created {@code 2 × jwksMaxAge} before the active key has
 * signed for {@code rotationPeriod}, and starts signing no earlier than {@code jwksMaxAge} after it
 * was published. The key it replaces stays published until {@code sessionLength + clockSkew} after
 * its last signature.
 */
public final class SigningKeys {
  private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
  private static final String COLUMNS =
      "kid, algorithm, state, public_jwk, created_at, activates_at, activated_at, retired_at,"
          + " removes_at, revoked_at";

  private final Database db;
  private final MasterKey masterKey;
  private final Clock clock;
  private final String algorithm;
  private final Duration rotationPeriod;
  private final Duration jwksMaxAge;
  private final Duration retention;
  private final Map<String, ActiveKey> signers = new ConcurrentHashMap<>();

  public SigningKeys(Database db, MasterKey masterKey, AuthServerConfig config) {
    this.db = db;
    this.masterKey = masterKey;
    this.clock = config.clock();
    this.algorithm = config.algorithm();
    this.rotationPeriod = config.rotationPeriod();
    this.jwksMaxAge = config.jwksMaxAge();
    this.retention = config.sessionLength().plus(config.clockSkew());
  }

  /** How long verifiers may cache the JWK Set. */
  public Duration jwksMaxAge() {
    return jwksMaxAge;
  }

  /** Every key ever made, oldest first (gone and revoked ones without their private part). */
  public List<SigningKeyInfo> list() {
    return db.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM signing_keys"));
  }

  /** The keys in the JWK Set: active first, then next, then retired. */
  public List<SigningKeyInfo> published() {
    List<SigningKeyInfo> keys =
        db.inTransaction(
            c ->
                query(
                    c,
                    "SELECT "
                        + COLUMNS
                        + " FROM signing_keys WHERE state IN ('ACTIVE','NEXT','RETIRED')"));
    return keys.stream().sorted(Comparator.comparingInt(k -> publishOrder(k.state()))).toList();
  }

  private static int publishOrder(KeyState state) {
    return switch (state) {
      case ACTIVE -> 0;
      case NEXT -> 1;
      default -> 2;
    };
  }

  /** The public JWK Set: every published key, public parameters only. */
  public JWKSet publicJwkSet() {
    List<JWK> jwks = new ArrayList<>();
    for (SigningKeyInfo key : published()) {
      try {
        jwks.add(JWK.parse(key.publicJwk()).toPublicJWK());
      } catch (ParseException e) {
        throw new IllegalStateException("stored public JWK of " + key.kid() + " is unreadable", e);
      }
    }
    return new JWKSet(jwks);
  }

  /** The key that signs now, with its signer (decrypted once per kid and kept in memory). */
  public ActiveKey active() {
    Optional<String[]> row =
        db.inTransaction(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT kid, algorithm FROM signing_keys WHERE state = 'ACTIVE'")) {
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next()
                      ? Optional.of(new String[] {rs.getString(1), rs.getString(2)})
                      : Optional.empty();
                }
              }
            });
    String[] kidAndAlg =
        row.orElseThrow(() -> new IllegalStateException("there is no active signing key"));
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
        db.inTransaction(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT private_key_enc FROM signing_keys WHERE kid = ?")) {
                ps.setString(1, kid);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? rs.getString(1) : null;
                }
              }
            });
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
    return locked(
        (c, now, changes) -> {
          List<SigningKeyInfo> keys = query(c, "SELECT " + COLUMNS + " FROM signing_keys");
          Optional<SigningKeyInfo> active = find(keys, KeyState.ACTIVE);
          Optional<SigningKeyInfo> next = find(keys, KeyState.NEXT);
          if (active.isEmpty()) {
            if (next.isPresent()) {
              promote(c, next.get(), null, now, changes);
            } else {
              createActive(c, now, changes);
            }
            return;
          }
          if (next.isPresent()) {
            if (!now.isBefore(next.get().activatesAt())) {
              promote(c, next.get(), active.get(), now, changes);
            }
          } else {
            Instant due = active.get().activatedAt().plus(rotationPeriod);
            if (!now.isBefore(due.minus(jwksMaxAge.multipliedBy(2)))) {
              Instant activatesAt = latest(due, now.plus(jwksMaxAge));
              createNext(c, now, activatesAt, changes);
            }
          }
          for (SigningKeyInfo key : keys) {
            if (key.state() == KeyState.RETIRED && !now.isBefore(key.removesAt())) {
              update(
                  c,
                  "UPDATE signing_keys SET state = 'GONE', private_key_enc = NULL WHERE kid = ?",
                  key.kid());
              changes.add(
                  "removed retired key " + key.kid() + " (every token it signed has expired)");
            }
          }
        });
  }

  /**
   * Rotates as soon as it is safe: promotes the next key if it has been published for one JWKS
   * max-age, otherwise publishes (or keeps) a next key and brings its activation forward to one
   * max-age after its publication.
   *
   * @return what changed
   */
  public List<String> rotate() {
    return locked(
        (c, now, changes) -> {
          List<SigningKeyInfo> keys = query(c, "SELECT " + COLUMNS + " FROM signing_keys");
          Optional<SigningKeyInfo> active = find(keys, KeyState.ACTIVE);
          Optional<SigningKeyInfo> next = find(keys, KeyState.NEXT);
          if (next.isEmpty()) {
            createNext(c, now, now.plus(jwksMaxAge), changes);
            return;
          }
          Instant earliest = latest(next.get().createdAt().plus(jwksMaxAge), now);
          if (!now.isBefore(earliest)) {
            promote(c, next.get(), active.orElse(null), now, changes);
          } else if (earliest.isBefore(next.get().activatesAt())) {
            update(
                c,
                "UPDATE signing_keys SET activates_at = ? WHERE kid = ?",
                earliest,
                next.get().kid());
            changes.add(
                "next key "
                    + next.get().kid()
                    + " will start signing at "
                    + earliest
                    + " (one JWKS max-age after it was published)");
          } else {
            changes.add(
                "next key "
                    + next.get().kid()
                    + " already starts signing at "
                    + next.get().activatesAt());
          }
        });
  }

  /**
   * Revokes a key: it leaves the JWK Set at once and its private key is erased. Revoking the active
   * key promotes the next key, or creates a new active key, immediately.
   *
   * @return what changed
   * @throws UnknownKeyException when no key has this kid
   */
  public List<String> revoke(String kid) {
    return locked(
        (c, now, changes) -> {
          List<SigningKeyInfo> keys = query(c, "SELECT " + COLUMNS + " FROM signing_keys");
          SigningKeyInfo key =
              keys.stream()
                  .filter(k -> k.kid().equals(kid))
                  .findFirst()
                  .orElseThrow(() -> new UnknownKeyException(kid));
          if (!key.state().published()) {
            changes.add("key " + kid + " is already " + key.state().name().toLowerCase());
            return;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE signing_keys SET state = 'REVOKED', revoked_at = ?,"
                      + " private_key_enc = NULL WHERE kid = ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, kid);
            ps.executeUpdate();
          }
          changes.add("revoked key " + kid + " (was " + key.state().name().toLowerCase() + ")");
          if (key.state() == KeyState.ACTIVE) {
            Optional<SigningKeyInfo> next = find(keys, KeyState.NEXT);
            if (next.isPresent()) {
              promote(c, next.get(), null, now, changes);
            } else {
              createActive(c, now, changes);
            }
          }
        });
  }

  @FunctionalInterface
  private interface LockedWork {
    void run(Connection c, Instant now, List<String> changes) throws SQLException;
  }

  private List<String> locked(LockedWork work) {
    List<String> changes =
        db.inTransaction(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name FROM latchkey_locks WHERE name = 'signing_keys' FOR UPDATE")) {
                ps.executeQuery().close();
              }
              List<String> done = new ArrayList<>();
              work.run(c, clock.instant(), done);
              return done;
            });
    changes.forEach(change -> log.info("Signing keys: {}", change));
    return changes;
  }

  private void promote(
      Connection c, SigningKeyInfo next, SigningKeyInfo active, Instant now, List<String> changes)
      throws SQLException {
    if (active != null) {
      Instant removesAt = now.plus(retention);
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE signing_keys SET state = 'RETIRED', retired_at = ?, removes_at = ?"
                  + " WHERE kid = ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setLong(2, removesAt.toEpochMilli());
        ps.setString(3, active.kid());
        ps.executeUpdate();
      }
      changes.add("retired key " + active.kid() + " (stays published until " + removesAt + ")");
    }
    update(
        c,
        "UPDATE signing_keys SET state = 'ACTIVE', activated_at = ? WHERE kid = ?",
        now,
        next.kid());
    changes.add("key " + next.kid() + " now signs (was next)");
  }

  private void createActive(Connection c, Instant now, List<String> changes) throws SQLException {
    String kid = insert(c, KeyState.ACTIVE, now, null);
    changes.add("created key " + kid + " (" + algorithm + "); it signs from now on");
  }

  private void createNext(Connection c, Instant now, Instant activatesAt, List<String> changes)
      throws SQLException {
    String kid = insert(c, KeyState.NEXT, now, activatesAt);
    changes.add(
        "published next key " + kid + " (" + algorithm + "); it starts signing at " + activatesAt);
  }

  private String insert(Connection c, KeyState state, Instant now, Instant activatesAt)
      throws SQLException {
    KeyMaterial.Generated key = KeyMaterial.generate(algorithm, now);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO signing_keys (kid, algorithm, state, public_jwk, private_key_enc,"
                + " created_at, activates_at, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, key.kid());
      ps.setString(2, key.algorithm());
      ps.setString(3, state.name());
      ps.setString(4, key.publicJwk().toPublicJWK().toJSONString());
      ps.setString(5, masterKey.encrypt(key.pkcs8(), key.kid()));
      ps.setLong(6, now.toEpochMilli());
      setInstant(ps, 7, activatesAt);
      setInstant(ps, 8, state == KeyState.ACTIVE ? now : null);
      ps.executeUpdate();
    }
    return key.kid();
  }

  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        Object arg = args[i];
        if (arg instanceof Instant instant) {
          ps.setLong(i + 1, instant.toEpochMilli());
        } else {
          ps.setString(i + 1, (String) arg);
        }
      }
      ps.executeUpdate();
    }
  }

  private static void setInstant(PreparedStatement ps, int index, Instant value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value.toEpochMilli());
    }
  }

  private static Optional<SigningKeyInfo> find(List<SigningKeyInfo> keys, KeyState state) {
    return keys.stream().filter(k -> k.state() == state).findFirst();
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static List<SigningKeyInfo> query(Connection c, String sql) throws SQLException {
    List<SigningKeyInfo> keys = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql + " ORDER BY created_at, kid");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        keys.add(
            new SigningKeyInfo(
                rs.getString("kid"),
                rs.getString("algorithm"),
                KeyState.valueOf(rs.getString("state")),
                instant(rs, "created_at"),
                instant(rs, "activates_at"),
                instant(rs, "activated_at"),
                instant(rs, "retired_at"),
                instant(rs, "removes_at"),
                instant(rs, "revoked_at"),
                rs.getString("public_jwk")));
      }
    }
    return keys;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }
}
