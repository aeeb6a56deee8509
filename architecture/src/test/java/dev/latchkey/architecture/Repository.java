package dev.latchkey.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The checkout the tests run in: its module folders and their compiled main classes. */
final class Repository {
  /** The modules whose main classes the rules read (the others hold tests or scripts only). */
  static final List<String> CODE_MODULES =
      List.of(
          "testing",
          "verifier",
          "server",
          "demo",
          "spring",
          "samples/spring-boot",
          "samples/spring-oauth2-login",
          "cli",
          "bench");

  private static JavaClasses mainClasses;

  private Repository() {}

  static Path root() {
    Path here = Path.of("").toAbsolutePath();
    while (here != null && !Files.exists(here.resolve("architecture/pom.xml"))) {
      here = here.getParent();
    }
    if (here == null) {
      throw new IllegalStateException("not inside the Latchkey checkout");
    }
    return here;
  }

  /**
   * Every module's compiled main classes (run after the modules are built: the reactor's order).
   */
  static synchronized JavaClasses mainClasses() {
    if (mainClasses == null) {
      List<Path> folders =
          CODE_MODULES.stream().map(m -> root().resolve(m).resolve("target/classes")).toList();
      for (Path folder : folders) {
        if (!Files.isDirectory(folder)) {
          throw new IllegalStateException(folder + " is missing: build the modules first");
        }
      }
      mainClasses = new ClassFileImporter().importPaths(folders);
    }
    return mainClasses;
  }
}
