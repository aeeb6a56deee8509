package dev.latchkey.server;

import com.nimbusds.jose.JOSEObjectType;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.throttle.DeviceCookies;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.PasswordHasher;
import dev.latchkey.server.users.UserException;
import dev.latchkey.server.users.Users;
import java.time.Clock;

/**
 * The auth server's database with its users and signing keys, usable without HTTP (the command
 * line's {@code users}, {@code keys} and {@code token}). Opening it runs the migrations.
 *
 * <pre>{@code
 * try (AuthStore store = AuthStore.open(config)) {
 *   store.users().add("ada@example.com", password);
 *   store.keys().rotate().forEach(System.out::println);
 * }
 * }</pre>
 */
public final class AuthStore implements AutoCloseable {
  private final AuthServerConfig config;
  private final Database database;
  private final Users users;
  private final SigningKeys keys;
  private final LoginThrottle throttle;
  private final Sessions sessions;
  private final DeviceCookies devices;

  private AuthStore(AuthServerConfig config, Database database, MasterKey masterKey) {
    this.config = config;
    this.database = database;
    Clock clock = config.clock();
    SessionSettings sessionSettings = config.sessions();
    this.users = new Users(database, new PasswordHasher(config.hashing().params()), clock);
    // retention follows the session length, also while refresh signs shorter access tokens
    this.keys =
        new SigningKeys(database, masterKey, config.keys(), sessionSettings.sessionLength(), clock);
    this.throttle = new LoginThrottle(database, sessionSettings.throttle(), clock);
    this.devices = new DeviceCookies(masterKey.deriveKey("latchkey device cookie v1"));
    this.sessions =
        new Sessions(database, users, masterKey, sessionSettings, config.keys().clockSkew(), clock);
  }

  /** Opens the database of this configuration and brings its schema up to date. */
  public static AuthStore open(AuthServerConfig config) {
    MasterKey masterKey = MasterKey.load(config.store());
    Database database = Database.open(config.store());
    return new AuthStore(config, database, masterKey);
  }

  public AuthServerConfig config() {
    return config;
  }

  public Users users() {
    return users;
  }

  public SigningKeys keys() {
    return keys;
  }

  /**
   * Server-side sessions: {@code revoke(sid)}, {@code revokeAllForUser(emailOrId)} (logout
   * everywhere, for {@code latchkey sessions revoke --user}), {@code revokedSince(instant)}.
   */
  public Sessions sessions() {
    return sessions;
  }

  /** Device cookies: which browser logged in to which account before (see the throttle). */
  public DeviceCookies devices() {
    return devices;
  }

  /** Brute-force throttling counters. */
  public LoginThrottle throttle() {
    return throttle;
  }

  public Database database() {
    return database;
  }

  /** A token issuer for the configured issuer (or the base URL {@code http://<host>:<port>}). */
  public TokenIssuer tokens() {
    return tokens(config.effectiveIssuer(config.http().port()));
  }

  /** A token issuer for a given issuer URL. */
  public TokenIssuer tokens(String issuer) {
    // tokenLength() is the access token length when refresh is on
    return new TokenIssuer(
        keys,
        issuer,
        config.tokens().audience(),
        config.sessions().tokenLength(),
        config.clock(),
        new JOSEObjectType(config.tokens().type()),
        users.roles()::of);
  }

  /**
   * Issues a session token for an enabled user without checking a password (for {@code latchkey
   * token EMAIL}). Makes sure a signing key exists first.
   *
   * @throws UserException {@code unknown_user} when there is no enabled user with this email
   */
  public IssuedToken issueToken(String email) {
    AuthenticatedUser user =
        users
            .findEnabled(email)
            .orElseThrow(
                () -> new UserException("unknown_user", "no enabled user with email " + email));
    keys.ensureActiveKey();
    // the token gets a session row, so that it can be revoked
    return sessions.start(user, tokens(), false).access();
  }

  @Override
  public void close() {
    database.close();
  }
}
