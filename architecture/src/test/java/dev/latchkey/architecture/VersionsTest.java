package dev.latchkey.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One version for what an adopter gets: the Maven artifacts (the root pom's version, which every
 * module inherits), the Angular package (the same without {@code -SNAPSHOT}) and the newest entry
 * of CHANGELOG.md.
 */
class VersionsTest {
  private static final Pattern POM_VERSION =
      Pattern.compile("<artifactId>latchkey-parent</artifactId>\\s*<version>([^<]+)</version>");
  private static final Pattern PACKAGE_VERSION = Pattern.compile("\"version\":\\s*\"([^\"]+)\"");
  private static final Pattern NEWEST_ENTRY = Pattern.compile("(?m)^## (\\S+)");

  @Test
  void theArtifactsTheAngularPackageAndTheChangelogShareTheVersion() throws IOException {
    Path root = Repository.root();
    String release =
        first(POM_VERSION, root.resolve("pom.xml"), "the root pom's version")
            .replaceFirst("-SNAPSHOT$", "");
    assertThat(
            first(
                PACKAGE_VERSION,
                root.resolve("web/projects/latchkey-angular/package.json"),
                "@latchkey/angular's version"))
        .as("@latchkey/angular's version against the pom's " + release)
        .isEqualTo(release);
    assertThat(first(NEWEST_ENTRY, root.resolve("CHANGELOG.md"), "CHANGELOG.md's newest entry"))
        .as("CHANGELOG.md's newest entry against the pom's " + release)
        .isEqualTo(release);
  }

  private static String first(Pattern pattern, Path file, String what) throws IOException {
    Matcher found = pattern.matcher(Files.readString(file));
    assertThat(found.find()).as(what + " in " + file).isTrue();
    return found.group(1);
  }
}
