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

/**
 * The demo's one user. Its generated password is kept in the data folder (owner-only) so that every
 * later {@code ./latchkey demo} can print it again: a convenience for a local demo, which is why
 * nothing but the demo command does it.
 */
final class DemoUser {

  static final String EMAIL = "student@example.com";
  private static final String SAVED_PASSWORD_FILE = "demo-password.txt";

  /** What to print as the password. */
  record Credentials(String passwordNote) {}

  private DemoUser() {}

  /** Creates the demo user, or sets its password, in the running auth server's store. */
  static Credentials ensure(Users users, Path dataDir, String requestedPassword)
      throws IOException {
    Path saved = dataDir.resolve(SAVED_PASSWORD_FILE);
    boolean exists = users.list().stream().anyMatch(user -> user.email().equals(EMAIL));
    if (requestedPassword != null && !requestedPassword.isBlank()) {
      if (exists) {
        users.setPassword(EMAIL, requestedPassword.toCharArray());
      } else {
        users.add(EMAIL, requestedPassword.toCharArray());
      }
      Files.deleteIfExists(saved);
      return new Credentials("(as given in LATCHKEY_DEMO_PASSWORD / --demo-password)");
    }
    if (!exists) {
      String generated = generatePassword();
      users.add(EMAIL, generated.toCharArray());
      writeOwnerOnly(saved, generated);
      return new Credentials(generated);
    }
    if (Files.isReadable(saved)) {
      return new Credentials(Files.readString(saved, StandardCharsets.UTF_8).trim());
    }
    return new Credentials("(unchanged; set a new one with ./latchkey users passwd " + EMAIL + ")");
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
