package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/cli.md is the commands' own description: a command, option, default or variable added,
 * renamed or removed without regenerating the page fails here. {@code -Dlatchkey.docs.update=true}
 * rewrites the page instead (see {@link CliReference#REGENERATE}).
 */
class CliReferenceTest {

  @Test
  void docsCliMdIsGeneratedFromTheCommands() throws IOException {
    Path page = repositoryRoot().resolve("docs/cli.md");
    String generated = CliReference.render();
    if (Boolean.getBoolean("latchkey.docs.update")) {
      Files.writeString(page, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
    assertThat(committed)
        .as(
            "docs/cli.md differs from the commands' picocli model (%s); regenerate it with: %s",
            firstDifference(committed, generated), CliReference.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void everyOptionOfEveryCommandIsOnThePage() {
    String page = CliReference.render();
    for (String line :
        new String[] {
          "## latchkey keys policy",
          "## latchkey users passwd",
          "## latchkey keys list",
          "| `--db-url <dbUrl>` | - | `LATCHKEY_DB_URL` |",
          "`LATCHKEY_AUTH_PORT` (formerly `LATCHKEY_PORT`)",
        }) {
      assertThat(page).contains(line);
    }
    // keys policy's flags change the stored policy: the page says they read no variable
    String policy = page.substring(page.indexOf("## latchkey keys policy"));
    assertThat(policy).contains("| `--algorithm <algorithm>` | - | - |");
  }

  /** Where two pages part, to name in the failure before the whole pages. */
  static String firstDifference(String committed, String generated) {
    String[] was = committed.split("\n", -1);
    String[] is = generated.split("\n", -1);
    for (int line = 0; line < Math.max(was.length, is.length); line++) {
      String a = line < was.length ? was[line] : "(end of file)";
      String b = line < is.length ? is[line] : "(end of file)";
      if (!a.equals(b)) {
        return "first at line " + (line + 1) + ": committed \"" + a + "\", generated \"" + b + "\"";
      }
    }
    return "no line differs";
  }

  static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    while (here != null && !Files.exists(here.resolve("docs/architecture.md"))) {
      here = here.getParent();
    }
    if (here == null) {
      throw new IllegalStateException("not inside the Latchkey checkout: no docs/architecture.md");
    }
    return here;
  }
}
