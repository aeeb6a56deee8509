package dev.latchkey.cli;

import dev.latchkey.server.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the auth server's data lives: shared by {@code serve}, {@code users}, {@code keys}. */
final class StoreOptions {

  @Option(
      names = "--db-url",
      description =
          "JDBC URL, e.g. jdbc:postgresql://db:5432/latchkey (LATCHKEY_DB_URL)."
              + " Default: an H2 file database in the data folder.")
  String dbUrl;

  @Option(names = "--db-user", description = "Database user (LATCHKEY_DB_USER).")
  String dbUser;

  @Option(
      names = "--db-password-file",
      description =
          "File holding the database password (LATCHKEY_DB_PASSWORD_FILE); or set"
              + " LATCHKEY_DB_PASSWORD. Never a flag: command lines are visible to other users.")
  Path dbPasswordFile;

  @Option(
      names = "--db-schema",
      description =
          "Schema of the tables, created if missing (LATCHKEY_DB_SCHEMA)."
              + " Default: the connection's.")
  String dbSchema;

  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description =
          "Folder for the embedded database and the generated master key (LATCHKEY_DATA_DIR)."
              + " Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(
      names = "--master-key-file",
      description =
          "File holding the base64 AES-256 key that encrypts private keys at rest"
              + " (LATCHKEY_MASTER_KEY_FILE). Default: LATCHKEY_MASTER_KEY, else"
              + " <data-dir>/master.key, generated on first start.")
  Path masterKeyFile;

  /** The store these options name. */
  StoreSettings settings() throws IOException {
    String dbPassword =
        dbPasswordFile != null
            ? Files.readString(dbPasswordFile).trim()
            : System.getenv("LATCHKEY_DB_PASSWORD");
    return new StoreSettings(dbUrl, dbUser, dbPassword, dbSchema, dataDir, masterKeyFile, null);
  }
}
