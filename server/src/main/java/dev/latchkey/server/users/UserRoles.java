package dev.latchkey.server.users;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The roles granted to users ({@code user_roles}), which their session tokens carry in the {@code
 * roles} claim from their next token (login or refresh) on. A role is a short name: a letter or
 * digit, then letters, digits, {@code _ . : -}, at most 64 characters.
 */
public final class UserRoles {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  private final Database db;

  UserRoles(Database db) {
    this.db = db;
  }

  /** The roles of a user, sorted (empty for an unknown user). */
  public List<String> of(String userId) {
    return db.query(
        "SELECT role FROM user_roles WHERE user_id = ? ORDER BY role",
        rs -> rs.getString(1),
        userId);
  }

  /** Every user's roles, by user id (users without roles are absent). */
  Map<String, List<String>> all() {
    Map<String, List<String>> byUser = new LinkedHashMap<>();
    for (String[] row :
        db.query(
            "SELECT user_id, role FROM user_roles ORDER BY user_id, role",
            rs -> new String[] {rs.getString(1), rs.getString(2)})) {
      byUser.computeIfAbsent(row[0], id -> new ArrayList<>()).add(row[1]);
    }
    return byUser;
  }

  /** Grants {@code add} and withdraws {@code remove}; returns the user's roles afterwards. */
  public List<String> change(String userId, Collection<String> add, Collection<String> remove) {
    checked(add);
    checked(remove);
    db.inTransaction(
        c -> {
          grant(c, userId, add);
          for (String role : remove) {
            Sql.update(c, "DELETE FROM user_roles WHERE user_id = ? AND role = ?", userId, role);
          }
          return null;
        });
    return of(userId);
  }

  /** Grants roles inside a transaction (a role held already is kept). */
  static void grant(Connection c, String userId, Collection<String> roles) throws SQLException {
    for (String role : roles) {
      if (Sql.one(
              c,
              "SELECT 1 FROM user_roles WHERE user_id = ? AND role = ?",
              rs -> true,
              userId,
              role)
          .isEmpty()) {
        Sql.insertUnlessTaken(
            c, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", userId, role);
      }
    }
  }

  /**
   * The role names, each checked.
   *
   * @throws UserException {@code invalid_role} for a name that is not a role name
   */
  static Collection<String> checked(Collection<String> roles) {
    for (String role : roles) {
      if (role == null || !NAME.matcher(role).matches()) {
        throw new UserException(
            "invalid_role",
            "A role is a letter or digit, then letters, digits, _ . : or -, at most 64 characters.");
      }
    }
    return roles;
  }
}
