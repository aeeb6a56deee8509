package dev.latchkey.server.policy;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The key policy row of the database ({@code key_policy}, one row). */
public final class StoredPolicy {
  private static final Logger log = LoggerFactory.getLogger(StoredPolicy.class);

  private final Database db;
  private final Clock clock;

  public StoredPolicy(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The stored policy; empty before the first auth server start. */
  public Optional<KeyPolicy> load() {
    return db.inTransaction(StoredPolicy::read);
  }

  /**
   * The policy an auth server starts under. The first start stores {@code request} over {@code
   * defaults}; later starts take the stored policy, and any asked-for setting that differs from it
   * is refused.
   *
   * @throws PolicyMismatchException naming every difference
   */
  public KeyPolicy startUnder(PolicyRequest request, KeyPolicy defaults) {
    while (true) {
      Optional<KeyPolicy> stored = load();
      if (stored.isPresent()) {
        KeyPolicy asked = request.over(stored.get());
        List<String> differences = asked.differencesFrom(stored.get());
        if (!differences.isEmpty()) {
          throw new PolicyMismatchException(differences);
        }
        return stored.get();
      }
      KeyPolicy first = request.over(defaults);
      if (db.inTransaction(c -> write(c, first, true))) {
        log.info(
            "Stored the key policy: {}", String.join(", ", first.describe()).replaceAll(" +", " "));
        return first;
      } // else another instance stored it first: compare with theirs
    }
  }

  /**
   * Replaces the stored policy with {@code request} over it (or over {@code defaults} when none is
   * stored yet).
   *
   * @return the changes, e.g. {@code algorithm: RS256 -> ES256}; empty when nothing changed
   */
  public List<String> update(PolicyRequest request, KeyPolicy defaults) {
    return db.inTransaction(
        c -> {
          Optional<KeyPolicy> stored = read(c);
          KeyPolicy before = stored.orElse(defaults);
          KeyPolicy after = request.over(before);
          List<String> changes = after.changesFrom(before);
          if (stored.isEmpty() || !changes.isEmpty()) {
            write(c, after, stored.isEmpty());
          }
          return changes;
        });
  }

  /** Records the public URL an auth server starts with (for operator commands' issuer). */
  public void recordPublicUrl(String publicUrl) {
    db.update(
        "UPDATE key_policy SET public_url = ? WHERE id = 1"
            + " AND (public_url IS NULL OR public_url <> ?)",
        publicUrl,
        publicUrl);
  }

  /** The public URL the last auth server started with, if any. */
  public Optional<String> publicUrl() {
    // NULL until a server has started: an operator may store a policy before any server runs
    return db.queryOne("SELECT public_url FROM key_policy WHERE id = 1", rs -> rs.getString(1));
  }

  private static Optional<KeyPolicy> read(Connection c) throws SQLException {
    return Sql.one(
        c,
        "SELECT algorithm, rotation_period_ms, jwks_max_age_ms, session_length_ms, audience,"
            + " issuer FROM key_policy WHERE id = 1",
        StoredPolicy::row);
  }

  private boolean write(Connection c, KeyPolicy p, boolean insert) throws SQLException {
    String sql =
        insert
            ? "INSERT INTO key_policy (algorithm, rotation_period_ms, jwks_max_age_ms,"
                + " session_length_ms, audience, issuer, updated_at, id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            : "UPDATE key_policy SET algorithm = ?, rotation_period_ms = ?, jwks_max_age_ms = ?,"
                + " session_length_ms = ?, audience = ?, issuer = ?, updated_at = ? WHERE id = ?";
    Object[] params = {
      p.algorithm(),
      p.rotationPeriod().toMillis(),
      p.jwksMaxAge().toMillis(),
      p.sessionLength().toMillis(),
      p.audience(),
      p.issuer(),
      clock.millis(),
      1
    };
    return insert ? Sql.insertUnlessTaken(c, sql, params) : Sql.update(c, sql, params) == 1;
  }

  private static KeyPolicy row(ResultSet rs) throws SQLException {
    return new KeyPolicy(
        rs.getString(1),
        Duration.ofMillis(rs.getLong(2)),
        Duration.ofMillis(rs.getLong(3)),
        Duration.ofMillis(rs.getLong(4)),
        rs.getString(5),
        rs.getString(6));
  }
}
