package dev.latchkey.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/angular.md names everything @latchkey/angular exports: a symbol added to the library's
 * public API without a word in the guide fails here.
 */
class AngularExportsDocTest {
  private static final Pattern EXPORT_BLOCK = Pattern.compile("export\\s*\\{([^}]*)\\}");

  @Test
  void everyExportedSymbolIsDocumented() throws IOException {
    String api =
        Files.readString(
            Repository.root().resolve("web/projects/latchkey-angular/src/public-api.ts"));
    String guide = Files.readString(Repository.root().resolve("docs/angular.md"));
    List<String> exported = new ArrayList<>();
    Matcher block = EXPORT_BLOCK.matcher(api);
    while (block.find()) {
      for (String entry : block.group(1).split(",")) {
        String name = entry.strip().replaceFirst("^type\\s+", "").replaceFirst(".*\\sas\\s+", "");
        if (!name.isEmpty()) {
          exported.add(name);
        }
      }
    }
    assertThat(exported).as("the exports of public-api.ts").hasSizeGreaterThan(20);
    List<String> undocumented =
        exported.stream()
            .filter(
                name -> !Pattern.compile("`" + Pattern.quote(name) + "[`(<]").matcher(guide).find())
            .toList();
    assertThat(undocumented)
        .as("symbols exported by @latchkey/angular that docs/angular.md never names in `code`")
        .isEmpty();
  }
}
