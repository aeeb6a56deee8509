package dev.latchkey.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The guides show the files an adopter installs as they are: a fenced block right after an {@code
 * <!-- deploy/... -->} marker is that file of the checkout, byte for byte (the nginx part is the
 * one the scale tests run with); and every {@code LATCHKEY_*} variable the documentation names is
 * one the command line reads (docs/cli.md, generated from it) or one of the few read elsewhere.
 */
class DeployFilesDocTest {
  private static final Pattern MARKED_BLOCK =
      Pattern.compile("<!-- (deploy/[\\w./-]+) -->\\n```[\\w-]*\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern VARIABLE = Pattern.compile("LATCHKEY_[A-Z0-9_]+");

  /** Read by something else than the commands' options: where, in the comment. */
  private static final Set<String> READ_ELSEWHERE =
      Set.of(
          "LATCHKEY_MASTER_KEY", // StoreSettings: the key itself, never a flag
          "LATCHKEY_JAVA_OPTS", // the ./latchkey launcher script
          "LATCHKEY_CDS", // the ./latchkey launcher script
          "LATCHKEY_JWKS_URI", // interop/node/server.mjs
          "LATCHKEY_REVOCATIONS_URI", // interop/node/server.mjs
          "LATCHKEY_REVOCATION_POLL_MS", // interop/node/server.mjs
          "LATCHKEY_CHROMIUM", // the browser tests' Chromium (demo's Chromium fixture)
          "LATCHKEY_OPTIONS", // @latchkey/angular's injection token, not a variable
          "LATCHKEY_NAVIGATE"); // @latchkey/angular's injection token, not a variable

  @Test
  void theGuidesShowTheDeployFilesAsTheyAre() throws IOException {
    Path root = Repository.root();
    List<String> shown = new ArrayList<>();
    for (Path page : pages(root)) {
      Matcher block = MARKED_BLOCK.matcher(Files.readString(page));
      while (block.find()) {
        Path file = root.resolve(block.group(1));
        assertThat(file).as(page.getFileName() + " shows " + block.group(1)).exists();
        assertThat(block.group(2))
            .as(
                "the block after <!-- %s --> in %s differs from the file",
                block.group(1), page.getFileName())
            .isEqualTo(Files.readString(file));
        shown.add(block.group(1));
      }
    }
    assertThat(shown)
        .contains("deploy/nginx/latchkey-auth.conf", "deploy/systemd/latchkey.service");
  }

  @Test
  void everyVariableTheDocsNameIsRead() throws IOException {
    Path root = Repository.root();
    Set<String> known = new TreeSet<>(READ_ELSEWHERE);
    Matcher generated = VARIABLE.matcher(Files.readString(root.resolve("docs/cli.md")));
    while (generated.find()) {
      known.add(generated.group());
    }
    List<String> unknown = new ArrayList<>();
    for (Path page : pages(root)) {
      Matcher named = VARIABLE.matcher(Files.readString(page));
      while (named.find()) {
        if (!known.contains(named.group())) {
          unknown.add(root.relativize(page) + ": " + named.group());
        }
      }
    }
    assertThat(unknown).as("variables no command reads (see docs/cli.md)").isEmpty();
  }

  private static List<Path> pages(Path root) throws IOException {
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }
}
