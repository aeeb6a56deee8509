package dev.latchkey.server.users;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users table and every password decision: policy, hashing, checking, rehashing. The user id
 * ({@code sub}) is a random UUID, never the email.
 */
public final class Users {
  private static final Logger log = LoggerFactory.getLogger(Users.class);

  private final Database db;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final String dummyHash;
  private final UserRoles roles;
  private final Audit audit;
  private final SessionEnder sessions;
  private final NewUsers newUsers;

  /**
   * @param sessions ends a user's sessions when the user is disabled or the operator sets a
   *     password
   */
  public Users(
      Database db, PasswordHasher hasher, Clock clock, Audit audit, SessionEnder sessions) {
    this.db = db;
    this.sessions = sessions;
    this.audit = audit;
    this.roles = new UserRoles(db);
    this.hasher = hasher;
    this.clock = clock;
    this.newUsers = new NewUsers(db, clock, audit);
    // An unknown email is checked against this, so it costs the same as a known one.
    this.dummyHash = hasher.unmatchable();
  }

  /**
   * Adds a user.
   *
   * @return the new user's id
   * @throws UserException {@code invalid_email}, {@code weak_password} or {@code exists}
   */
  public String add(String email, char[] password) {
    return add(email, password, List.of());
  }

  /**
   * Adds a user with roles.
   *
   * @return the new user's id
   * @throws UserException {@code invalid_email}, {@code weak_password}, {@code invalid_role} or
   *     {@code exists}
   */
  public String add(String email, char[] password, List<String> grantedRoles) {
    String address = validEmail(email);
    requireAcceptable(password, address);
    UserRoles.checked(grantedRoles);
    String hash = hasher.hash(password);
    return newUsers
        .insert(address, hash, true, grantedRoles, "operator")
        .orElseThrow(() -> new UserException("exists", "a user with this email already exists"));
  }

  /** The roles granted to users. */
  public UserRoles roles() {
    return roles;
  }

  /**
   * Self-service sign-up: the same checks as {@link #add}, but an existing email is not reported
   * (the caller answers the same either way), and the same hashing work is done either way.
   *
   * @param verified whether the new account counts as having a verified email
   * @return the new user's id, or empty when the email already had an account
   * @throws UserException {@code invalid_email} or {@code weak_password}
   */
  public Optional<String> signUp(String email, char[] password, boolean verified) {
    String address = validEmail(email);
    requireAcceptable(password, address);
    String hash = hasher.hash(password);
    return newUsers.insert(address, hash, verified, List.of(), "signup");
  }

  /**
   * Sets a new password (policy applies), by the operator: every session of the user ends (into the
   * revocation feed), whoever may hold its tokens.
   *
   * @throws UserException {@code invalid_email}, {@code unknown_user} or {@code weak_password}
   */
  public void setPassword(String email, char[] password) {
    String userId = idOf(validEmail(email));
    setPasswordOf(userId, password, "operator");
    sessions.endAllSessions(userId, "password_set");
  }

  /**
   * Disables a user: logins fail as for a wrong password, refresh refuses the user, and every
   * session ends (into the revocation feed). Enabling the user again brings none back.
   */
  public void disable(String email) {
    setDisabled(email, true);
    sessions.endAllSessions(idOf(email), "user_disabled");
  }

  public void enable(String email) {
    setDisabled(email, false);
  }

  private void setDisabled(String email, boolean disabled) {
    String address = EmailAddress.normalize(email);
    requireFound(
        db.update("UPDATE users SET disabled = ? WHERE email = ?", disabled, address), address);
    audit.record(disabled ? AuditEvent.USER_DISABLED : AuditEvent.USER_ENABLED, "email", address);
  }

  public List<UserSummary> list() {
    Map<String, List<String>> granted = roles.all();
    return db.query(
        "SELECT id, email, created_at, disabled FROM users ORDER BY created_at, email",
        rs ->
            new UserSummary(
                rs.getString(1),
                rs.getString(2),
                Instant.ofEpochMilli(rs.getLong(3)),
                rs.getBoolean(4),
                granted.getOrDefault(rs.getString(1), List.of())));
  }

  /** The enabled user with this email, if any (for issuing a token from the command line). */
  public Optional<AuthenticatedUser> findEnabled(String email) {
    return find(EmailAddress.normalize(email))
        .filter(row -> !row.disabled())
        .map(Users::authenticated);
  }

  /**
   * The id of the user with this email, enabled or not.
   *
   * @throws UserException {@code unknown_user} when there is no user with this email
   */
  public String idOf(String email) {
    String address = EmailAddress.normalize(email);
    return find(address)
        .map(UserRow::id)
        .orElseThrow(() -> new UserException("unknown_user", "no user with email " + address));
  }

  /**
   * Checks an email and password. Unknown email, wrong password, disabled user and a hash of old
   * parameters all cost one password hash at the current parameters ({@link PasswordHasher#check})
   * and give the same empty answer. A correct password stored with outdated parameters is rehashed.
   */
  public Optional<AuthenticatedUser> authenticate(String email, char[] password) {
    Optional<UserRow> row =
        email == null || email.length() > EmailAddress.MAX_LENGTH
            ? Optional.empty()
            : find(EmailAddress.normalize(email));
    PasswordHasher.Check check = hasher.check(password, row.map(UserRow::hash).orElse(dummyHash));
    if (row.isEmpty() || !check.matches() || row.get().disabled()) {
      return Optional.empty();
    }
    UserRow user = row.get();
    check.rehashed().ifPresent(fresh -> storeRehash(user, fresh));
    return Optional.of(authenticated(user));
  }

  private static AuthenticatedUser authenticated(UserRow row) {
    return new AuthenticatedUser(row.id(), row.email(), row.emailVerified(), row.secondFactor());
  }

  private void storeRehash(UserRow user, String fresh) {
    db.update(
        "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
        fresh,
        user.id(),
        user.hash());
    log.info("Rehashed the password of user {} with {}", user.id(), hasher.params());
  }

  /**
   * The account with this email or id, enabled or not, for the account flows (verification, reset,
   * change).
   */
  public Optional<Account> account(String emailOrId) {
    boolean byEmail = emailOrId != null && emailOrId.contains("@");
    if (emailOrId == null || emailOrId.length() > EmailAddress.MAX_LENGTH) {
      return Optional.empty();
    }
    return db.queryOne(
        "SELECT id, email, email_verified, disabled FROM users WHERE "
            + (byEmail ? "email" : "id")
            + " = ?",
        rs -> new Account(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)),
        byEmail ? EmailAddress.normalize(emailOrId) : emailOrId);
  }

  /** Marks the user's email as verified (they followed a link sent to it). */
  public void markVerified(String userId) {
    if (db.update(
            "UPDATE users SET email_verified = TRUE WHERE id = ? AND email_verified = FALSE",
            userId)
        == 1) {
      audit.record(AuditEvent.EMAIL_VERIFIED, "user_id", userId);
    }
  }

  /**
   * Sets a new password for a user by id, under the sign-up policy: the one place a password
   * changes.
   *
   * @param reason why, for the audit log: {@code operator}, {@code password_reset}, {@code
   *     password_change}
   * @throws UserException {@code weak_password} or {@code unknown_user}
   */
  public void setPasswordOf(String userId, char[] password, String reason) {
    Account account =
        account(userId)
            .orElseThrow(() -> new UserException("unknown_user", "no user with this id"));
    requireAcceptable(password, account.email());
    String hash = hasher.hash(password);
    requireFound(
        db.update(
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
            hash,
            clock.millis(),
            userId),
        userId);
    audit.record(AuditEvent.PASSWORD_CHANGED, "user_id", userId, "reason", reason);
  }

  /** The policy's objection to a password for this email, if any (checked before any change). */
  public static Optional<String> passwordProblem(char[] password, String email) {
    return PasswordPolicy.check(password, EmailAddress.normalize(email));
  }

  private record UserRow(
      String id,
      String email,
      String hash,
      boolean disabled,
      boolean emailVerified,
      boolean secondFactor) {}

  private Optional<UserRow> find(String address) {
    return db.queryOne(
        "SELECT id, email, password_hash, disabled, email_verified, EXISTS (SELECT 1 FROM mfa_totp"
            + " t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL) OR EXISTS (SELECT 1"
            + " FROM passkeys p WHERE p.user_id = users.id) FROM users WHERE email = ?",
        rs ->
            new UserRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getBoolean(4),
                rs.getBoolean(5),
                rs.getBoolean(6)),
        address);
  }

  private static String validEmail(String email) {
    return EmailAddress.parse(email)
        .orElseThrow(
            () -> new UserException("invalid_email", "This is not a valid email address."));
  }

  private static void requireAcceptable(char[] password, String address) {
    Optional<String> problem = PasswordPolicy.check(password, address);
    if (problem.isPresent()) {
      throw new UserException("weak_password", problem.get());
    }
  }

  private static void requireFound(int updated, String address) {
    if (updated == 0) {
      throw new UserException("unknown_user", "no user with email " + address);
    }
  }
}
