package dev.latchkey.server;

import dev.latchkey.server.accounts.AccountSettings;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.dpop.DpopSettings;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.keys.KeySettings;
import dev.latchkey.server.policy.KeyPolicy;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.tokens.TokenSettings;
import dev.latchkey.server.users.HashingSettings;
import java.time.Clock;
import java.util.Objects;

/**
 * Every setting of the auth server: one immutable record per component, each in the package of what
 * it configures. Start from {@link #defaults()} and replace a component, e.g. {@code
 * config.withKeys(config.keys().withAlgorithm("ES256"))}.
 *
 * @param http bind address, CORS origins, sign-up ({@link HttpSettings})
 * @param tokens the tokens' issuer and audience ({@link TokenSettings})
 * @param store database and master key ({@link StoreSettings})
 * @param keys signing algorithm and rotation schedule ({@link KeySettings})
 * @param hashing Argon2id parameters and the hashing pool ({@link HashingSettings})
 * @param sessions token lifetime, refresh, throttling, trusted proxies, revocation feed ({@link
 *     SessionSettings})
 * @param delivery how the session reaches the browser ({@link DeliverySettings})
 * @param accounts mail, verified email, password reset ({@link AccountSettings})
 * @param dpop DPoP-bound sessions: optional or required, server nonces ({@link DpopSettings})
 * @param clock the source of time for tokens, sessions and the rotation schedule
 */
public record AuthServerConfig(
    HttpSettings http,
    TokenSettings tokens,
    StoreSettings store,
    KeySettings keys,
    HashingSettings hashing,
    SessionSettings sessions,
    DeliverySettings delivery,
    AccountSettings accounts,
    DpopSettings dpop,
    Clock clock) {

  public AuthServerConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(hashing, "hashing");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(accounts, "accounts");
    Objects.requireNonNull(dpop, "dpop");
    Objects.requireNonNull(clock, "clock");
  }

  /** Embedded defaults: port 9000, H2 under ./data, RS256, 2 h sessions, 30 day rotation. */
  public static AuthServerConfig defaults() {
    return new AuthServerConfig(
        HttpSettings.defaults(),
        TokenSettings.defaults(),
        StoreSettings.defaults(),
        KeySettings.defaults(),
        HashingSettings.defaults(),
        SessionSettings.defaults(),
        DeliverySettings.defaults(),
        AccountSettings.defaults(),
        DpopSettings.defaults(),
        Clock.systemUTC());
  }

  /** The issuer actually used on a port: the configured one, else the public URL. */
  public String effectiveIssuer(int actualPort) {
    return tokens.effectiveIssuer(publicUrl(actualPort));
  }

  /**
   * The URL every published address starts with (discovery's {@code jwks_uri}, the hosted page's
   * form and redirects): {@code --public-url}, else the issuer when it is an http(s) URL, else the
   * bind address {@code http://host:port}.
   */
  public String publicUrl(int actualPort) {
    if (http.publicUrl() != null) {
      return http.publicUrl();
    }
    if (HttpSettings.isHttpUrl(tokens.issuer())) {
      return tokens.issuer();
    }
    return http.baseUrl(actualPort);
  }

  public AuthServerConfig withHttp(HttpSettings v) {
    return new AuthServerConfig(
        v, tokens, store, keys, hashing, sessions, delivery, accounts, dpop, clock);
  }

  public AuthServerConfig withTokens(TokenSettings v) {
    return new AuthServerConfig(
        http, v, store, keys, hashing, sessions, delivery, accounts, dpop, clock);
  }

  public AuthServerConfig withStore(StoreSettings v) {
    return new AuthServerConfig(
        http, tokens, v, keys, hashing, sessions, delivery, accounts, dpop, clock);
  }

  public AuthServerConfig withKeys(KeySettings v) {
    return new AuthServerConfig(
        http, tokens, store, v, hashing, sessions, delivery, accounts, dpop, clock);
  }

  public AuthServerConfig withHashing(HashingSettings v) {
    return new AuthServerConfig(
        http, tokens, store, keys, v, sessions, delivery, accounts, dpop, clock);
  }

  public AuthServerConfig withSessions(SessionSettings v) {
    return new AuthServerConfig(
        http, tokens, store, keys, hashing, v, delivery, accounts, dpop, clock);
  }

  public AuthServerConfig withDelivery(DeliverySettings v) {
    return new AuthServerConfig(
        http, tokens, store, keys, hashing, sessions, v, accounts, dpop, clock);
  }

  public AuthServerConfig withAccounts(AccountSettings v) {
    return new AuthServerConfig(
        http, tokens, store, keys, hashing, sessions, delivery, v, dpop, clock);
  }

  public AuthServerConfig withDpop(DpopSettings v) {
    return new AuthServerConfig(
        http, tokens, store, keys, hashing, sessions, delivery, accounts, v, clock);
  }

  public AuthServerConfig withClock(Clock v) {
    return new AuthServerConfig(
        http, tokens, store, keys, hashing, sessions, delivery, accounts, dpop, v);
  }

  /** The key policy this configuration asks for (the settings that shape shared state). */
  public KeyPolicy keyPolicy() {
    return new KeyPolicy(
        keys.algorithm(),
        keys.rotationPeriod(),
        keys.jwksMaxAge(),
        sessions.sessionLength(),
        tokens.audience(),
        tokens.issuer());
  }

  /**
   * This configuration under {@code policy}'s values.
   *
   * @throws IllegalArgumentException when the combination is invalid (e.g. a rotation period
   *     shorter than twice the JWKS max-age)
   */
  public AuthServerConfig withKeyPolicy(KeyPolicy policy) {
    return withKeys(
            new KeySettings(
                policy.algorithm(),
                policy.rotationPeriod(),
                policy.jwksMaxAge(),
                keys.clockSkew(),
                keys.rotationCheckInterval()))
        .withSessions(sessions.withSessionLength(policy.sessionLength()))
        .withTokens(tokens.withIssuer(policy.issuer()).withAudience(policy.audience()));
  }
}
