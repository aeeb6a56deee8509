package dev.latchkey.server.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the auth server keeps its state: the database and the master key that encrypts signing keys
 * at rest. Secrets never appear in {@link #toString()}.
 *
 * @param dbUrl JDBC URL; {@code null} means an H2 file database under {@code dataDir}
 * @param dbUser JDBC user name, may be {@code null}
 * @param dbPassword JDBC password, may be {@code null}
 * @param dbSchema the schema the tables live in (created by the migrations); {@code null} means the
 *     connection's default
 * @param dataDir folder for the embedded database and the generated master key
 * @param masterKeyFile file holding the base64 AES-256 master key; {@code null} means {@code
 *     LATCHKEY_MASTER_KEY}, else {@code dataDir/master.key} (generated on first start)
 * @param masterKey the base64 AES-256 master key itself; wins over the file when set
 */
public record StoreSettings(
    String dbUrl,
    String dbUser,
    String dbPassword,
    String dbSchema,
    Path dataDir,
    Path masterKeyFile,
    String masterKey) {

  public StoreSettings {
    Objects.requireNonNull(dataDir, "dataDir");
  }

  /** An embedded H2 database and a generated master key in {@code dataDir}. */
  public static StoreSettings embedded(Path dataDir) {
    return new StoreSettings(null, null, null, null, dataDir, null, null);
  }

  /** The embedded store under {@code ./data}. */
  public static StoreSettings defaults() {
    return embedded(Path.of("data"));
  }

  /**
   * An external database (PostgreSQL); {@code user}, {@code password}, {@code schema} may be null.
   */
  public StoreSettings withDatabase(String url, String user, String password, String schema) {
    return new StoreSettings(url, user, password, schema, dataDir, masterKeyFile, masterKey);
  }

  public StoreSettings withMasterKeyFile(Path file) {
    return new StoreSettings(dbUrl, dbUser, dbPassword, dbSchema, dataDir, file, masterKey);
  }

  public StoreSettings withMasterKey(String base64) {
    return new StoreSettings(dbUrl, dbUser, dbPassword, dbSchema, dataDir, masterKeyFile, base64);
  }

  /**
   * The JDBC URL actually used: the configured one, else an H2 file under {@link #dataDir}. {@code
   * WRITE_DELAY=0} makes H2 write every commit to the file before the commit returns; with H2's
   * default (a background write up to a second later) a killed process loses transactions it had
   * already committed, such as a signing key that has signed tokens, or a revocation. {@code
   * AUTO_SERVER=TRUE} (H2's automatic mixed mode) lets operator commands ({@code latchkey keys
   * revoke}, {@code sessions revoke}, {@code users add}) open the database while an auth server
   * runs on it: the first process opens the file and serves it to the others over a loopback TCP
   * port, so every write still goes through one database engine with {@code WRITE_DELAY=0}.
   */
  public String effectiveDbUrl() {
    if (dbUrl != null) {
      return dbUrl;
    }
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("latchkey")
        + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
  }

  /** Hides the secrets so that a logged config never shows them. */
  @Override
  public String toString() {
    return "store[db="
        + effectiveDbUrl().replaceAll("(?i)(password=)[^&;]*", "$1***")
        + ", dbSchema="
        + dbSchema
        + ", dataDir="
        + dataDir
        + ", masterKeyFile="
        + masterKeyFile
        + ", masterKey="
        + (masterKey == null ? "unset" : "***")
        + "]";
  }
}
