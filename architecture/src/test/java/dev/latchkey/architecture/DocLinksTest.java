package dev.latchkey.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation's links lead somewhere: every relative link of README.md and docs/*.md names a
 * file of the checkout, and every {@code #anchor} a heading of the page it points at; every figure
 * section of docs/performance.md links the result files under bench/results/ it was read from, and
 * every result file it names exists.
 */
class DocLinksTest {
  /** {@code [text](target)} and {@code ![alt](target)}, the target up to a space or ")". */
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)[^)]*\\)");

  private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);
  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
  private static final Pattern RESULT_FILE = Pattern.compile("bench/results/[\\w./*-]+[\\w*]");
  private static final Pattern SECTION = Pattern.compile("(?m)^## ");

  @Test
  void everyRelativeLinkResolves() throws IOException {
    Path root = Repository.root();
    List<String> broken = new ArrayList<>();
    for (Path page : pages(root)) {
      for (String target : links(Files.readString(page))) {
        String problem = check(root, page, target);
        if (problem != null) {
          broken.add(root.relativize(page) + ": (" + target + ") " + problem);
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void everyPerformanceFigureLinksTheResultFileItWasReadFrom() throws IOException {
    Path root = Repository.root();
    Path page = root.resolve("docs/performance.md");
    String text = Files.readString(page);
    List<String> problems = new ArrayList<>();
    Matcher named = RESULT_FILE.matcher(text);
    while (named.find()) {
      if (matching(root, named.group()).isEmpty()) {
        problems.add(named.group() + " is named but no such result file exists");
      }
    }
    // each numbered section of figures ("## 1. ...") links at least one result file
    String[] sections = SECTION.split(text);
    for (String section : sections) {
      if (!section.matches("(?s)^\\d+\\..*")) {
        continue;
      }
      String title = section.substring(0, section.indexOf('\n'));
      boolean linksAResult =
          links(section).stream().anyMatch(target -> target.contains("bench/results/"));
      if (!linksAResult) {
        problems.add("section \"" + title + "\" links no result file under bench/results/");
      }
    }
    assertThat(problems).as("docs/performance.md against bench/results/").isEmpty();
  }

  private static List<Path> pages(Path root) throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** The link targets of a page, outside fenced code blocks. */
  private static Set<String> links(String markdown) {
    Set<String> targets = new LinkedHashSet<>();
    Matcher link = LINK.matcher(FENCE.matcher(markdown).replaceAll(""));
    while (link.find()) {
      targets.add(link.group(1));
    }
    return targets;
  }

  /** Why a link is broken, or null. */
  private static String check(Path root, Path page, String target) throws IOException {
    if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
      return null; // https:, mailto: ...: not ours to check here
    }
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
    if (!linked.startsWith(root) || !Files.exists(linked)) {
      return "no such file";
    }
    if (anchor != null && linked.toString().endsWith(".md")) {
      if (!anchors(Files.readString(linked)).contains(anchor)) {
        return "no heading with this anchor in " + root.relativize(linked);
      }
    }
    return null;
  }

  /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as "-". */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher heading = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
    while (heading.find()) {
      String slug =
          heading
              .group(1)
              .strip()
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      int count = seen.merge(slug, 1, Integer::sum);
      anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
    }
    return anchors;
  }

  /** The files a path (perhaps with * in its last part) names. */
  private static List<Path> matching(Path root, String path) throws IOException {
    if (!path.contains("*")) {
      return Files.exists(root.resolve(path)) ? List.of(root.resolve(path)) : List.of();
    }
    Path folder = root.resolve(path.substring(0, path.lastIndexOf('/')));
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    PathMatcher glob =
        FileSystems.getDefault()
            .getPathMatcher("glob:" + path.substring(path.lastIndexOf('/') + 1));
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> glob.matches(f.getFileName())).toList();
    }
  }
}
