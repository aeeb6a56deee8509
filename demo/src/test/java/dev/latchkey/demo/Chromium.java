package dev.latchkey.demo;

import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium, driven by Playwright. Where no Chromium is installed the browser
 * tests are skipped with a clear message, unless {@code -Dbrowser.tests.required=true} (CI) makes
 * that a failure. Public for the browser tests of other modules (demo's test-jar).
 */
public final class Chromium {

  public static final Path EXECUTABLE =
      Path.of(System.getenv().getOrDefault("LATCHKEY_CHROMIUM", "/usr/bin/chromium"));

  /** Flags for a sandbox without network: no background traffic to hosts that are not there. */
  private static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync");

  private Chromium() {}

  /** Skips (or, where browser tests are required, fails) when the browser or client is missing. */
  public static void assumeAvailable() {
    require(
        Files.isExecutable(EXECUTABLE),
        "no Chromium at " + EXECUTABLE + " (apt-get install chromium)");
    require(
        Chromium.class.getResource("/public/index.html") != null,
        "the Angular client is not built (run without -Dskip.npm)");
  }

  public static Playwright playwright() {
    return Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  public static Browser launch(Playwright playwright) {
    return playwright
        .chromium()
        .launch(
            new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(FLAGS));
  }

  /** Skips (or, where browser tests are required, fails) unless the condition holds. */
  public static void require(boolean condition, String why) {
    if (condition) {
      return;
    }
    if (Boolean.getBoolean("browser.tests.required")) {
      fail("Browser tests are required but cannot run: " + why);
    }
    // Surefire reports an abort in @BeforeAll as "Tests run: 0" without its reason.
    System.err.println("Browser test skipped: " + why);
    Assumptions.abort("Browser test skipped: " + why);
  }
}
