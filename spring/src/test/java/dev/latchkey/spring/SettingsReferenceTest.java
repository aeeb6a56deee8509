package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/spring-boot.md's table of settings is the starter's configuration metadata (what the
 * annotation processor writes from {@link LatchkeyProperties}, and IDEs complete): every property
 * has a row, every row a property, and a documented default is the property's default.
 */
class SettingsReferenceTest {
  private static final Pattern ROW =
      Pattern.compile("^\\| `(latchkey\\.[a-z.-]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);
  private static final String NO_DEFAULT = "(none)";

  @Test
  void theSettingsTableIsTheConfigurationMetadata() throws IOException {
    Map<String, String> documented = documented();
    Map<String, String> metadata = metadata();
    assertThat(documented.keySet())
        .as(
            "the properties in docs/spring-boot.md's Settings table (left) against the starter's"
                + " META-INF/spring-configuration-metadata.json (right)")
        .containsExactlyInAnyOrderElementsOf(metadata.keySet());
    metadata.forEach(
        (property, value) -> {
          if (!value.equals(NO_DEFAULT)) {
            assertThat(documented.get(property))
                .as("the default of " + property + " in docs/spring-boot.md")
                .isEqualTo("`" + value + "`");
          }
        });
  }

  /** Property name to its default (or {@value #NO_DEFAULT}), from the processor's output. */
  private static Map<String, String> metadata() throws IOException {
    Path file = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
    assertThat(file).as("the annotation processor's output (build the module first)").exists();
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    Map<String, String> properties = new TreeMap<>();
    for (JsonNode property : root.path("properties")) {
      JsonNode value = property.get("defaultValue");
      String text = value == null ? NO_DEFAULT : value.isArray() ? join(value) : value.asText();
      properties.put(property.get("name").asText(), text);
    }
    return properties;
  }

  private static String join(JsonNode array) {
    StringBuilder text = new StringBuilder();
    for (JsonNode item : array) {
      text.append(text.isEmpty() ? "" : ",").append(item.asText());
    }
    return text.toString();
  }

  private static Map<String, String> documented() throws IOException {
    Path here = Path.of("").toAbsolutePath();
    while (here != null && !Files.exists(here.resolve("docs/spring-boot.md"))) {
      here = here.getParent();
    }
    assertThat(here).as("the checkout's docs/ folder").isNotNull();
    String page = Files.readString(here.resolve("docs/spring-boot.md"));
    int start = page.indexOf("\n## Settings\n");
    assertThat(start).as("docs/spring-boot.md has a section ## Settings").isNotNegative();
    int end = page.indexOf("\n## ", start + 1);
    String section = page.substring(start, end < 0 ? page.length() : end);
    Map<String, String> rows = new TreeMap<>();
    Matcher row = ROW.matcher(section);
    while (row.find()) {
      rows.put(row.group(1), row.group(2).strip());
    }
    return rows;
  }
}
