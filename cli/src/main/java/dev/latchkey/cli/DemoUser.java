package dev.latchkey.cli;

import dev.latchkey.server.users.Users;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * A user of the demo: the student (no role) and the admin (role {@code admin}). A generated
 * password is kept in the data folder (owner-only) so that every later {@code ./latchkey demo} can
 * print it again: a convenience for a local demo, which is why nothing but the demo command does
 * it.
 *
 * @param email the user's email
 * @param roles the roles the user must hold
 * @param savedPasswordFile the file in the data folder that keeps a generated password
 */
record DemoUser(String email, List<String> roles, String savedPasswordFile) {

  static final DemoUser STUDENT =
      new DemoUser("student@example.com", List.of(), "demo-password.txt");
  static final DemoUser ADMIN =
      new DemoUser("admin@example.com", List.of("admin"), "demo-admin-password.txt");

  /** What to print as the password. */
  record Credentials(String passwordNote) {}

  /**
   * Creates the user, or sets its password, in the running auth server's store, and makes sure it
   * holds its roles.
   *
   * @param requestedPassword a password to set, or null/blank to generate one on first start
   */
  Credentials ensure(Users users, Path dataDir, String requestedPassword) throws IOException {
    Credentials credentials = ensurePassword(users, dataDir, requestedPassword);
    if (!roles.isEmpty()) {
      users.roles().change(users.idOf(email), roles, List.of());
    }
    return credentials;
  }

  private Credentials ensurePassword(Users users, Path dataDir, String requestedPassword)
      throws IOException {
    Path saved = dataDir.resolve(savedPasswordFile);
    boolean exists = users.list().stream().anyMatch(user -> user.email().equals(email));
    if (requestedPassword != null && !requestedPassword.isBlank()) {
      if (exists) {
        users.setPassword(email, requestedPassword.toCharArray());
      } else {
        users.add(email, requestedPassword.toCharArray());
      }
      Files.deleteIfExists(saved);
      return new Credentials("(as given in LATCHKEY_DEMO_PASSWORD / --demo-password)");
    }
    if (!exists) {
      String generated = generatePassword();
      users.add(email, generated.toCharArray());
      writeOwnerOnly(saved, generated);
      return new Credentials(generated);
    }
    if (Files.isReadable(saved)) {
      return new Credentials(Files.readString(saved, StandardCharsets.UTF_8).trim());
    }
    return new Credentials("(unchanged; set a new one with ./latchkey users passwd " + email + ")");
  }

  private static String generatePassword() {
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static void writeOwnerOnly(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the demo password in " + file, e);
    }
  }
}
