package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class VersionTest {

  private static Properties properties(String version, String commit) {
    Properties properties = new Properties();
    properties.setProperty("version", version);
    properties.setProperty("commit", commit);
    return properties;
  }

  @Test
  void theBuildWritesTheProjectVersionAndTheCommit() {
    String line = new Version().getVersion()[0];
    assertThat(line)
        .startsWith("latchkey " + System.getProperty("project.version", "") + " (commit ")
        .matches("latchkey \\S+ \\(commit ([0-9a-f]{7,}|unknown)\\)");
    assertThat(line).doesNotContain("${").doesNotContain("development build");
  }

  @Test
  void aBuildOutsideGitSaysTheCommitIsUnknown() {
    assertThat(Version.line(properties("1.2.3", "${git.commit.id.abbrev}")))
        .isEqualTo("latchkey 1.2.3 (commit unknown)");
    assertThat(Version.line(properties("1.2.3", ""))).isEqualTo("latchkey 1.2.3 (commit unknown)");
    assertThat(Version.line(properties("1.2.3", "5cb826b")))
        .isEqualTo("latchkey 1.2.3 (commit 5cb826b)");
  }

  @Test
  void withoutTheResourceItSaysSo() {
    assertThat(Version.line(new Properties()))
        .isEqualTo("latchkey (development build) (commit unknown)");
  }
}
