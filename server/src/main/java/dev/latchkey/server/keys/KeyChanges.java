package dev.latchkey.server.keys;

import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.revocation.RevocationLog;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Applies one {@link KeyStep} to the {@code signing_keys} rows, in the caller's transaction (which
 * holds the keys' lock): a key is committed, encrypted, before anything publishes or uses it.
 */
final class KeyChanges {
  /**
   * One applied step: what the operator reads, and the audit event with its fields (none for a step
   * that changes no key's state).
   */
  record Applied(String description, AuditEvent event, Object... fields) {
    Applied(String description) {
      this(description, null);
    }
  }

  private final MasterKey masterKey;
  private final KeySettings settings;
  private final Duration retention;
  private final RevocationLog revocations;

  KeyChanges(
      MasterKey masterKey, KeySettings settings, Duration retention, RevocationLog revocations) {
    this.masterKey = masterKey;
    this.settings = settings;
    this.retention = retention;
    this.revocations = revocations;
  }

  Applied apply(Connection c, KeyStep step, Instant now) throws SQLException {
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
              .orElse(now.plus(retention));
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
}
