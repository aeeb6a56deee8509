package dev.latchkey.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's module diagram is the build's dependency graph: every edge of the diagram
 * is a dependency in a module's pom, and every such dependency is drawn.
 */
class ModuleGraphTest {
  private static final Pattern ARTIFACT =
      Pattern.compile("<artifactId>(latchkey-[a-z0-9-]+)</artifactId>");
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern EDGE =
      Pattern.compile("^\\s*([\\w/-]+)\\s+(-->|-\\.->)\\s+([\\w/-]+)\\s*$", Pattern.MULTILINE);
  private static final String DIAGRAM_START = "```mermaid";

  @Test
  void theDiagramIsThePoms() throws IOException {
    assertThat(drawnEdges()).isEqualTo(pomEdges());
  }

  /** "module --> dependency" (compile or runtime), "module -.-> dependency" (test scope). */
  private static TreeSet<String> pomEdges() throws IOException {
    Path root = Repository.root();
    Map<String, String> moduleByArtifact = new TreeMap<>();
    Map<String, String> pomByModule = new TreeMap<>();
    for (String module : modules(root)) {
      String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
      String withoutParent = pom.replaceFirst("(?s)<parent>.*?</parent>", "");
      Matcher own = ARTIFACT.matcher(withoutParent);
      if (own.find()) {
        moduleByArtifact.put(own.group(1), module);
      }
      pomByModule.put(module, withoutParent);
    }
    TreeSet<String> edges = new TreeSet<>();
    pomByModule.forEach(
        (module, pom) -> {
          String dependencies =
              pom.replaceFirst("(?s)<dependencyManagement>.*?</dependencyManagement>", "");
          Matcher d = DEPENDENCY.matcher(dependencies);
          while (d.find()) {
            Matcher artifact = ARTIFACT.matcher(d.group(1));
            if (artifact.find() && moduleByArtifact.containsKey(artifact.group(1))) {
              String target = moduleByArtifact.get(artifact.group(1));
              boolean test = d.group(1).contains("<scope>test</scope>");
              if (!target.equals(module)) {
                edges.add(name(module) + (test ? " -.-> " : " --> ") + name(target));
              }
            }
          }
        });
    return edges;
  }

  private static TreeSet<String> drawnEdges() throws IOException {
    String page = Files.readString(Repository.root().resolve("docs/architecture.md"));
    int start = page.indexOf(DIAGRAM_START);
    assertThat(start).as("docs/architecture.md has a mermaid module diagram").isNotNegative();
    String diagram = page.substring(start, page.indexOf("```", start + DIAGRAM_START.length()));
    TreeSet<String> edges = new TreeSet<>();
    Matcher e = EDGE.matcher(diagram);
    while (e.find()) {
      edges.add(e.group(1) + " " + e.group(2) + " " + e.group(3));
    }
    return edges;
  }

  private static List<String> modules(Path root) throws IOException {
    Matcher m = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1));
    }
    return modules;
  }

  /**
   * Mermaid node names cannot hold a slash: samples/spring-boot is drawn as samples_spring_boot.
   */
  private static String name(String module) {
    return module.replace('/', '_').replace('-', '_');
  }
}
