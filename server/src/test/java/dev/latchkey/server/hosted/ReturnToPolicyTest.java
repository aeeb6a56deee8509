package dev.latchkey.server.hosted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToPolicyTest {
  private static final String DEFAULT = "/login/done";
  private static final ReturnToPolicy POLICY =
      ReturnToPolicy.of(
          List.of(
              "https://app.example.com/app",
              "https://docs.example.com/guide/",
              "http://localhost:8080",
              "http://[::1]:4200/spa"),
          DEFAULT);

  @Nested
  class Allowed {
    @Test
    void anUrlUnderAnEntryComesBackRebuiltFromItsParts() {
      assertThat(POLICY.allowed("https://app.example.com/app"))
          .contains("https://app.example.com/app");
      assertThat(POLICY.allowed("https://app.example.com/app/"))
          .contains("https://app.example.com/app/");
      assertThat(POLICY.allowed("https://app.example.com/app/lessons/42"))
          .contains("https://app.example.com/app/lessons/42");
    }

    @Test
    void queryAndFragmentAreKeptRaw() {
      assertThat(POLICY.allowed("https://app.example.com/app/x?q=%20y&z=1#part"))
          .contains("https://app.example.com/app/x?q=%20y&z=1#part");
    }

    @Test
    void theDefaultPortIsDroppedAndAnEmptyPathIsTheRoot() {
      assertThat(POLICY.allowed("https://app.example.com:443/app/x"))
          .contains("https://app.example.com/app/x");
      assertThat(POLICY.allowed("http://localhost:8080")).contains("http://localhost:8080/");
    }

    @Test
    void aRootEntryAllowsEveryPathOfItsOrigin() {
      assertThat(POLICY.allowed("http://localhost:8080/anything/below"))
          .contains("http://localhost:8080/anything/below");
    }

    @Test
    void anEntryEndingInASlashAllowsItselfWithoutTheSlash() {
      assertThat(POLICY.allowed("https://docs.example.com/guide"))
          .contains("https://docs.example.com/guide");
      assertThat(POLICY.allowed("https://docs.example.com/guide/intro"))
          .contains("https://docs.example.com/guide/intro");
      assertThat(POLICY.allowed("https://docs.example.com/guidebook")).isEmpty();
    }

    @Test
    void harmlessPercentEncodingsInThePathAreAllowed() {
      assertThat(POLICY.allowed("https://app.example.com/app/a%20b"))
          .contains("https://app.example.com/app/a%20b");
    }

    @Test
    void anIpv6LiteralHostMatchesItsEntry() {
      assertThat(POLICY.allowed("http://[::1]:4200/spa/home"))
          .contains("http://[::1]:4200/spa/home");
      assertThat(POLICY.allowed("http://[::2]:4200/spa/home")).isEmpty();
    }
  }

  @Nested
  class Refused {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "/app",
          "//evil.com/app",
          "app.example.com/app",
          "javascript:alert(1)",
          "data:text/html,x",
          "ftp://app.example.com/app"
        })
    void anythingButAnAbsoluteHttpUrl(String returnTo) {
      assertThat(POLICY.allowed(returnTo)).as(returnTo).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://app.example.com/app",
          "https://app.example.com:8443/app",
          "https://evil.example.com/app",
          "https://app.example.com.evil.com/app",
          "https://app.example.com/application",
          "https://app.example.com/other"
        })
    void anotherOriginOrAPathOutsideTheEntry(String returnTo) {
      assertThat(POLICY.allowed(returnTo)).as(returnTo).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "https://app.example.com@evil.com/app",
          "https://user:pass@app.example.com/app",
          "https://APP.example.com/app"
        })
    void userInfoAndUpperCaseHosts(String returnTo) {
      assertThat(POLICY.allowed(returnTo)).as(returnTo).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "https://app.example.com/app/../admin",
          "https://app.example.com/app/./x",
          "https://app.example.com/app//evil.com",
          "https://app.example.com/app/%2e%2e/admin",
          "https://app.example.com/app%2F..%2Fadmin",
          "https://app.example.com/app/%5cadmin",
          "https://app.example.com/app/%252e",
          "https://app.example.com/app/%0d%0a",
          "https://app.example.com/app/%7f",
          "https://app.example.com/app/%2"
        })
    void pathsThatCouldMeanAnotherPath(String returnTo) {
      assertThat(POLICY.allowed(returnTo)).as(returnTo).isEmpty();
    }

    /** Servlet containers read {@code ..;x} as {@code ..}: a path parameter hides a dot segment. */
    @ParameterizedTest
    @ValueSource(
        strings = {
          "https://app.example.com/app/..;/admin",
          "https://app.example.com/app/..;x=1/admin",
          "https://app.example.com/app/.;/admin",
          "https://app.example.com/app/..%3b/admin",
          "https://app.example.com/app/..%3B/admin",
          "https://app.example.com/app/%2e%2e;/admin",
          "https://app.example.com/app/%2E%2E%3B/admin",
          "https://app.example.com/app/x;jsessionid=1",
          "https://app.example.com/app/x%3bjsessionid=1",
          "http://localhost:8080/x/..;/y",
          "http://localhost:8080/..;/y"
        })
    void pathParameters(String returnTo) {
      assertThat(POLICY.allowed(returnTo)).as(returnTo).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "https://app.example.com/app x",
          "https://app.example.com/app\\x",
          "https://app.example.com/app\tx",
          "https://app.example.com/app\u00e9",
          "https://app.example.com/app\u007f"
        })
    void spacesBackslashesControlAndNonAsciiCharacters(String returnTo) {
      assertThat(POLICY.allowed(returnTo)).as(returnTo).isEmpty();
    }

    @Test
    void nothingEmptyOrOverlong() {
      assertThat(POLICY.allowed(null)).isEmpty();
      assertThat(POLICY.allowed("")).isEmpty();
      String base = "https://app.example.com/app/";
      String atLimit = base + "x".repeat(ReturnToPolicy.MAX_LENGTH - base.length());
      assertThat(POLICY.allowed(atLimit)).contains(atLimit);
      assertThat(POLICY.allowed(atLimit + "x")).isEmpty();
    }
  }

  @Test
  void targetFallsBackToTheDefault() {
    assertThat(POLICY.target("https://app.example.com/app/x"))
        .isEqualTo("https://app.example.com/app/x");
    assertThat(POLICY.target("https://evil.com/")).isEqualTo(DEFAULT);
    assertThat(POLICY.target(null)).isEqualTo(DEFAULT);
  }

  @Test
  void entriesAreNormalised() {
    ReturnToPolicy policy =
        ReturnToPolicy.of(
            List.of("HTTPS://App.Example.com/app", "https://app.example.com:443", "http://h:81"),
            DEFAULT);
    assertThat(policy.entries())
        .containsExactly("https://app.example.com/app", "https://app.example.com/", "http://h:81/");
  }

  @Test
  void redirectOriginsAreTheEntriesOriginsAndAnAbsoluteDefault() {
    assertThat(POLICY.redirectOrigins())
        .containsExactly(
            "https://app.example.com",
            "https://docs.example.com",
            "http://localhost:8080",
            "http://[::1]:4200");
    ReturnToPolicy absoluteDefault =
        ReturnToPolicy.of(List.of("https://app.example.com"), "https://home.example.com:8443/x");
    assertThat(absoluteDefault.redirectOrigins())
        .containsExactly("https://app.example.com", "https://home.example.com:8443");
    assertThat(absoluteDefault.defaultTarget()).isEqualTo("https://home.example.com:8443/x");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://*.example.com",
        "https://app.example.com/app?x=1",
        "https://app.example.com/#x",
        "https://user@app.example.com/",
        "javascript:alert(1)",
        "//app.example.com",
        "https://app.example.com/a/../b",
        "https://app.example.com/a//b",
        "https://app.example.com/a;b",
        "https://app.example.com/a/..;/b",
        "app.example.com",
        "https:///path"
      })
  void aMalformedEntryIsRefusedAtConfiguration(String entry) {
    assertThatThrownBy(() -> ReturnToPolicy.of(List.of(entry), DEFAULT))
        .as(entry)
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"//evil.com", "/\\evil.com", "javascript:alert(1)", "evil.com", "/a b", ""})
  void aDefaultThatIsNeitherAPathNorAnHttpUrlIsRefused(String target) {
    assertThatThrownBy(() -> ReturnToPolicy.of(List.of(), target))
        .as(target)
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDefaultMayBeAPathOrAnAbsoluteUrl() {
    assertThat(ReturnToPolicy.of(List.of(), "/welcome").defaultTarget()).isEqualTo("/welcome");
    assertThat(ReturnToPolicy.of(List.of(), "https://app.example.com/").defaultTarget())
        .isEqualTo("https://app.example.com/");
    assertThatThrownBy(() -> ReturnToPolicy.of(List.of(), null))
        .isInstanceOf(NullPointerException.class);
  }
}
