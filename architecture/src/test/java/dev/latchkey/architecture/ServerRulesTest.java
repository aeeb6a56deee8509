package dev.latchkey.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The auth server's rules from docs/architecture.md. */
class ServerRulesTest {
  private static final String SERVER = "dev.latchkey.server";
  private static final String COOKIE_WRITER = SERVER + ".http.exchange.BrowserCookies";
  private static final String FAILURE_MAPPING = SERVER + ".http.exchange.Failures";

  @Test
  void noPackageImportsTheRoot() {
    noClasses()
        .that()
        .resideInAPackage(SERVER + ".(*)..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(SERVER)
        .because(
            "the root (AuthServer, AuthStore, AuthServerConfig) builds everything; no part sees it whole")
        .check(Repository.mainClasses());
  }

  @Test
  void noRouteFamilyImportsAnother() {
    slices()
        .matching(SERVER + ".http.(*)..")
        .should()
        .notDependOnEachOther()
        .ignoreDependency(alwaysTrue(), resideInAPackage(SERVER + ".http.exchange.."))
        .because("what route families share lives in http.exchange or in the domain")
        .check(Repository.mainClasses());
  }

  @Test
  void onlyBrowserCookiesReadsOrWritesCookies() {
    noClasses()
        .that()
        .resideInAPackage(SERVER + "..")
        .and()
        .doNotHaveFullyQualifiedName(COOKIE_WRITER)
        .should()
        .callMethodWhere(cookieAccess())
        .because("cookie names, attributes and duplicate checks are decided in one place")
        .check(Repository.mainClasses());
  }

  @Test
  void noOtherSourceNamesTheSetCookieHeader() throws IOException {
    Path main = Repository.root().resolve("server/src/main/java");
    String writer = COOKIE_WRITER.replace('.', '/') + ".java";
    List<String> naming;
    try (Stream<Path> files = Files.walk(main)) {
      naming =
          files
              .filter(f -> f.toString().endsWith(".java") && !f.endsWith(writer))
              .filter(f -> read(f).contains("\"Set-Cookie\""))
              .map(f -> main.relativize(f).toString())
              .toList();
    }
    assertThat(naming).as("sources other than BrowserCookies that write Set-Cookie").isEmpty();
  }

  @Test
  void onlyTheFailureMappingWritesErrorAnswers() {
    noClasses()
        .that()
        .resideInAPackage(SERVER + "..")
        .and()
        .doNotHaveFullyQualifiedName(FAILURE_MAPPING)
        .should()
        .callMethod(
            SERVER + ".http.exchange.Json",
            "writeError",
            "io.javalin.http.Context",
            SERVER + ".http.exchange.ApiError")
        .because(
            "every failure becomes an answer in one place (status, code, Retry-After, logging)")
        .check(Repository.mainClasses());
  }

  @Test
  void policiesImportOnlyJava() {
    for (String policy :
        List.of(
            SERVER + ".keys.KeySchedule",
            SERVER + ".sessions.RefreshPolicy",
            SERVER + ".throttle.ThrottlePolicy")) {
      String own = policy.substring(0, policy.lastIndexOf('.'));
      classes()
          .that()
          .haveFullyQualifiedName(policy)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", own)
          .because("a security decision is a pure function, unit-tested without a database")
          .check(Repository.mainClasses());
    }
  }

  private static DescribedPredicate<JavaCall<?>> cookieAccess() {
    return DescribedPredicate.describe(
        "reads or writes a cookie",
        call -> {
          String owner = call.getTargetOwner().getFullName();
          String name = call.getName();
          boolean javalin =
              owner.equals("io.javalin.http.Context")
                  && (name.equals("cookie")
                      || name.equals("cookieMap")
                      || name.equals("removeCookie"));
          boolean servlet =
              owner.startsWith("jakarta.servlet.http.HttpServletResponse")
                  && (name.equals("addCookie")
                      || name.equals("addHeader")
                      || name.equals("setHeader"));
          boolean request =
              owner.startsWith("jakarta.servlet.http.HttpServletRequest")
                  && name.equals("getCookies");
          return javalin || servlet || request;
        });
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
