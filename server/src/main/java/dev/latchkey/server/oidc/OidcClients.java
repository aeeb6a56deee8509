package dev.latchkey.server.oidc;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The registered OpenID Connect clients (the {@code oidc_clients} table), added and removed by the
 * operator while servers run: every lookup reads the table. A client secret is kept only as a keyed
 * hash (HMAC-SHA256 under a key derived from the master key), so a copy of the database alone does
 * not let anyone test guesses.
 */
public final class OidcClients {
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");
  private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{24,200}");
  private static final String COLUMNS =
      "client_id, secret_hash, redirect_uris, post_logout_redirect_uris, created_at";

  private final Database db;
  private final byte[] secretKey;
  private final Clock clock;
  private final Audit audit;

  /**
   * @param secretKey the key of the secrets' hashes (derived from the master key)
   */
  public OidcClients(Database db, byte[] secretKey, Clock clock, Audit audit) {
    this.db = db;
    this.secretKey = secretKey.clone();
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Registers a client.
   *
   * @param secret the client's secret, or {@code null} for a public client (PKCE only)
   * @throws ClientException for an id, URI or secret that cannot be registered, or an id taken
   */
  public OidcClient add(
      String clientId, List<String> redirectUris, String secret, List<String> postLogoutUris) {
    if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
      throw new ClientException(
          "invalid_client_id", "a client id is 1 to 100 of A-Z a-z 0-9 . _ ~ -");
    }
    if (redirectUris.isEmpty()) {
      throw new ClientException("invalid_redirect_uri", "a client needs a redirect URI");
    }
    for (String uri : concat(redirectUris, postLogoutUris)) {
      RedirectUris.problem(uri)
          .ifPresent(
              problem -> {
                throw new ClientException("invalid_redirect_uri", problem);
              });
    }
    if (secret != null && !SECRET.matcher(secret).matches()) {
      throw new ClientException(
          "invalid_secret", "a client secret is 24 to 200 printable ASCII characters, no spaces");
    }
    Instant now = Instant.ofEpochMilli(clock.millis());
    boolean added =
        db.inTransaction(
            c ->
                Sql.insertUnlessTaken(
                    c,
                    "INSERT INTO oidc_clients (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                    clientId,
                    secret == null ? null : hash(secret),
                    String.join("\n", redirectUris),
                    String.join("\n", postLogoutUris),
                    now.toEpochMilli()));
    if (!added) {
      throw new ClientException("client_exists", "a client with id " + clientId + " exists");
    }
    audit.record(
        AuditEvent.CLIENT_ADDED,
        "client_id",
        clientId,
        "confidential",
        secret != null,
        "redirect_uris",
        redirectUris,
        "post_logout_redirect_uris",
        postLogoutUris);
    return new OidcClient(clientId, secret != null, redirectUris, postLogoutUris, now);
  }

  /**
   * Removes a client: its codes and refresh tokens stop working at once (each use looks it up).
   *
   * @return whether it existed
   */
  public boolean remove(String clientId) {
    boolean removed = db.update("DELETE FROM oidc_clients WHERE client_id = ?", clientId) == 1;
    if (removed) {
      audit.record(AuditEvent.CLIENT_REMOVED, "client_id", clientId);
    }
    return removed;
  }

  public List<OidcClient> list() {
    return db.query(
        "SELECT " + COLUMNS + " FROM oidc_clients ORDER BY client_id", OidcClients::client);
  }

  public Optional<OidcClient> find(String clientId) {
    if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
      return Optional.empty();
    }
    return db.queryOne(
        "SELECT " + COLUMNS + " FROM oidc_clients WHERE client_id = ?",
        OidcClients::client,
        clientId);
  }

  /** Whether {@code secret} is the secret of the confidential client {@code clientId}. */
  public boolean secretMatches(String clientId, String secret) {
    if (secret == null || secret.length() > 200 || find(clientId).isEmpty()) {
      return false;
    }
    Optional<String> stored =
        db.queryOne(
            "SELECT secret_hash FROM oidc_clients WHERE client_id = ?",
            rs -> Optional.ofNullable(rs.getString(1)).orElse(""),
            clientId);
    return stored
        .filter(h -> !h.isEmpty())
        .filter(h -> Hashes.sameHex(h, hash(secret)))
        .isPresent();
  }

  private String hash(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secretKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OidcClient client(ResultSet rs) throws SQLException {
    return new OidcClient(
        rs.getString(1),
        rs.getString(2) != null,
        lines(rs.getString(3)),
        lines(rs.getString(4)),
        Instant.ofEpochMilli(rs.getLong(5)));
  }

  private static List<String> lines(String stored) {
    return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split("\n"));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
