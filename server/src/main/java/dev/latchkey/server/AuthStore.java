package dev.latchkey.server;

import com.nimbusds.jose.JOSEObjectType;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.dpop.TokenBinding;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.server.mfa.SecondFactors;
import dev.latchkey.server.oidc.OidcClients;
import dev.latchkey.server.policy.PolicyMismatchException;
import dev.latchkey.server.policy.PolicyRequest;
import dev.latchkey.server.policy.StoredPolicy;
import dev.latchkey.server.revocation.RevocationLog;
import dev.latchkey.server.sessions.RefreshProtocol;
import dev.latchkey.server.sessions.SessionRevocation;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.signin.PendingSignIns;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.throttle.DeviceCookies;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.SessionXsrf;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.PasswordHasher;
import dev.latchkey.server.users.UserException;
import dev.latchkey.server.users.Users;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

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
  private final PasswordHasher hasher;
  private final Users users;
  private final SigningKeys keys;
  private final LoginThrottle throttle;
  private final Sessions sessions;
  private final RefreshProtocol refreshProtocol;
  private final SessionRevocation sessionRevocation;
  private final RevocationLog revocations;
  private final DeviceCookies devices;
  private final SessionXsrf xsrf;
  private final Audit audit;
  private final SecondFactors secondFactors;
  private final PendingSignIns pendingSignIns;
  private final OidcClients oidcClients;
  private final TokenBinding tokenBinding;

  private AuthStore(AuthServerConfig config, Database database, MasterKey masterKey) {
    this.config = config;
    this.database = database;
    Clock clock = config.clock();
    SessionSettings sessionSettings = config.sessions();
    this.audit = new Audit(clock);
    this.hasher = new PasswordHasher(config.hashing().params());
    // disabling a user or an operator's password set ends the user's sessions
    this.users =
        new Users(
            database,
            hasher,
            clock,
            audit,
            (userId, reason) -> sessionRevocation().revokeAllForUser(userId, null, reason));
    this.revocations = new RevocationLog(database, config.keys().clockSkew(), clock);
    // retention follows the longest token lifetime in force: what TokenIssuer signs with (the
    // access token length with refresh, the session length without)
    this.keys =
        new SigningKeys(
            database,
            masterKey,
            config.keys(),
            sessionSettings.tokenLength(),
            revocations,
            clock,
            audit);
    this.throttle = new LoginThrottle(database, sessionSettings.throttle(), clock, audit);
    this.devices = new DeviceCookies(masterKey.deriveKey("latchkey device cookie v1"));
    this.xsrf = new SessionXsrf(masterKey.deriveKey("latchkey xsrf v1"));
    this.sessionRevocation =
        new SessionRevocation(
            database, users, revocations, config.keys().clockSkew(), clock, audit);
    this.refreshProtocol =
        new RefreshProtocol(database, masterKey, sessionSettings, sessionRevocation, clock, audit);
    this.sessions =
        new Sessions(database, sessionSettings, refreshProtocol, config.keys().clockSkew(), clock);
    this.secondFactors = new SecondFactors(database, masterKey, clock, audit);
    this.pendingSignIns = new PendingSignIns(database, clock);
    this.oidcClients =
        new OidcClients(
            database, masterKey.deriveKey("latchkey oidc client secret v1"), clock, audit);
    this.tokenBinding =
        new TokenBinding(
            config.dpop(), database, masterKey.deriveKey("latchkey dpop nonce v1"), clock);
  }

  /**
   * Opens the database of this configuration for an auth server, brings its schema up to date and
   * checks the configuration's key policy against the stored one (storing it at the first start).
   *
   * @throws PolicyMismatchException when the configuration differs from the stored key policy
   */
  public static AuthStore open(AuthServerConfig config) {
    return open(config, PolicyRequest.exactly(config.keyPolicy()));
  }

  /**
   * Opens the database for an auth server that asked for {@code request}: unset settings take the
   * stored key policy, the first start stores it, and an asked-for setting that differs from the
   * stored one is refused.
   *
   * @throws PolicyMismatchException naming every difference
   */
  public static AuthStore open(AuthServerConfig config, PolicyRequest request) {
    AuthStore store =
        openWith(
            config,
            db ->
                config.withKeyPolicy(
                    new StoredPolicy(db, config.clock()).startUnder(request, config.keyPolicy())));
    try {
      store.policy().recordPublicUrl(store.config.publicUrl(config.http().port()));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /**
   * Opens the database for an operator command: it acts under the stored key policy (the
   * configuration's values only before any auth server has started), and stores nothing.
   */
  public static AuthStore openForOperator(AuthServerConfig config) {
    return openWith(
        config,
        db -> {
          StoredPolicy stored = new StoredPolicy(db, config.clock());
          AuthServerConfig base = config;
          if (config.http().publicUrl() == null) {
            // the issuer of tokens a command issues: the public URL the servers publish
            Optional<String> url = stored.publicUrl();
            if (url.isPresent()) {
              base = config.withHttp(config.http().withPublicUrl(url.get()));
            }
          }
          return base.withKeyPolicy(stored.load().orElse(base.keyPolicy()));
        });
  }

  private static AuthStore openWith(
      AuthServerConfig config, Function<Database, AuthServerConfig> effective) {
    MasterKey masterKey = MasterKey.load(config.store());
    Database database = Database.open(config.store());
    try {
      return new AuthStore(effective.apply(database), database, masterKey);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** The key policy stored in this database. */
  public StoredPolicy policy() {
    return new StoredPolicy(database, config.clock());
  }

  public AuthServerConfig config() {
    return config;
  }

  /** The password hasher, for tests that count its work. */
  PasswordHasher hasher() {
    return hasher;
  }

  public Users users() {
    return users;
  }

  public SigningKeys keys() {
    return keys;
  }

  /** Server-side sessions: starting one, and the session rows. */
  public Sessions sessions() {
    return sessions;
  }

  /** Users' second factors: TOTP, recovery codes, the second step's check. */
  public SecondFactors secondFactors() {
    return secondFactors;
  }

  /** Sign-ins waiting for their second step. */
  public PendingSignIns pendingSignIns() {
    return pendingSignIns;
  }

  /** Refreshing a session with its refresh token. */
  public RefreshProtocol refreshProtocol() {
    return refreshProtocol;
  }

  /**
   * Ending sessions: {@code revoke(sid)}, {@code revokeAllForUser(emailOrId)} (logout everywhere,
   * for {@code latchkey sessions revoke --user}).
   */
  public SessionRevocation sessionRevocation() {
    return sessionRevocation;
  }

  /** The numbered log of revoked sessions and keys that the revocation feed serves. */
  public RevocationLog revocations() {
    return revocations;
  }

  /** Device cookies: which browser logged in to which account before (see the throttle). */
  public DeviceCookies devices() {
    return devices;
  }

  /** Brute-force throttling counters. */
  public LoginThrottle throttle() {
    return throttle;
  }

  /** The registered OpenID Connect clients ({@code latchkey clients}). */
  public OidcClients oidcClients() {
    return oidcClients;
  }

  /** The DPoP proofs of the requests that issue tokens, and which key they bind to. */
  public TokenBinding tokenBinding() {
    return tokenBinding;
  }

  /** The audit log the store's components write their events to. */
  public Audit audit() {
    return audit;
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
        keys.snapshot(),
        issuer,
        config.tokens().audience(),
        config.sessions().tokenLength(),
        new JOSEObjectType(config.tokens().type()),
        users.roles()::of,
        xsrf);
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
