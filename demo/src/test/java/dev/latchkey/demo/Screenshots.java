package dev.latchkey.demo;

import com.microsoft.playwright.Page;
import java.nio.file.Path;

/**
 * Where browser tests save their screenshots: {@code target/screenshots}, or the folder named by
 * {@code -Dlatchkey.screenshots=...} (the README's pictures are refreshed with {@code
 * -Dlatchkey.screenshots=../docs/img}).
 */
final class Screenshots {
  private Screenshots() {}

  static void save(Page page, String name) {
    Path folder = Path.of(System.getProperty("latchkey.screenshots", "target/screenshots"));
    page.screenshot(new Page.ScreenshotOptions().setPath(folder.resolve(name + ".png")));
  }
}
