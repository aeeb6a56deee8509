package dev.latchkey.server.users;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Creating a user: the row and its roles in one transaction, and the audit record. */
final class NewUsers {
  private final Database db;
  private final Clock clock;
  private final Audit audit;

  NewUsers(Database db, Clock clock, Audit audit) {
    this.db = db;
    this.clock = clock;
    this.audit = audit;
  }

  /** Inserts unless the email exists; the id when inserted. */
  Optional<String> insert(
      String address, String hash, boolean verified, List<String> grantedRoles, String via) {
    String id = UUID.randomUUID().toString();
    long now = clock.millis();
    return db.inTransaction(
            c -> {
              boolean inserted =
                  Sql.one(c, "SELECT 1 FROM users WHERE email = ?", rs -> true, address).isEmpty()
                      && Sql.insertUnlessTaken( // false when a concurrent insert of the email won
                          c,
                          "INSERT INTO users (id, email, password_hash, created_at,"
                              + " password_changed_at, disabled, email_verified)"
                              + " VALUES (?, ?, ?, ?, ?, FALSE, ?)",
                          id,
                          address,
                          hash,
                          now,
                          now,
                          verified);
              if (inserted) {
                UserRoles.grant(c, id, grantedRoles);
              }
              return inserted ? Optional.of(id) : Optional.<String>empty();
            })
        .map(
            created -> {
              audit.record(
                  AuditEvent.USER_CREATED,
                  "user_id",
                  created,
                  "email",
                  address,
                  "via",
                  via,
                  "email_verified",
                  verified,
                  "roles",
                  grantedRoles);
              return created;
            });
  }
}
