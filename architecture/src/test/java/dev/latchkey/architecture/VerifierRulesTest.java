package dev.latchkey.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

/** The verifier is a library application servers embed: it stands alone, its internals stay in. */
class VerifierRulesTest {

  @Test
  void theVerifierImportsNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("dev.latchkey.verifier..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.latchkey..")
                .and(resideOutsideOfPackage("dev.latchkey.verifier..")))
        .because(
            "the verifier is the Java counterpart of express-jwt: it depends on no other module")
        .check(Repository.mainClasses());
  }

  @Test
  void internalPackagesAreNotUsedOutsideTheVerifier() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.latchkey.verifier..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.latchkey.verifier.internal..")
        .because(
            "internal.* is not API: applications, the server and the starter use the public types")
        .check(Repository.mainClasses());
  }
}
