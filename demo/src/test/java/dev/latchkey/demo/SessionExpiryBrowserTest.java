package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PageAssertions;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A session configured to last a few seconds ends by itself and returns to the login page. */
class SessionExpiryBrowserTest {

  @RegisterExtension
  static final BrowserJourney journey =
      BrowserJourney.bodyMode().sessionLength(Duration.ofSeconds(4));

  @Test
  void anExpiredSessionReturnsToLoginWithAMessage(Page page) {
    journey.logIn(RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lessons-list")).isVisible();

    assertThat(page)
        .hasURL(Pattern.compile("/login"), new PageAssertions.HasURLOptions().setTimeout(15_000));
    assertThat(page.getByTestId("session-message"))
        .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(5_000));
    assertThat(page.evaluate("() => localStorage.getItem('id_token')")).isNull();
  }
}
