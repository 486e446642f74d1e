package io.doorpair.welcome.sip;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The SIP adapter's rules: only {@code io.doorpair.welcome.sip} imports jain-sip, and the library
 * uses nothing an Android app lacks (no {@code sun.*}, {@code java.awt}, {@code javax.management},
 * {@code javax.naming}, {@code java.util.HexFormat}, no {@code java.util.Random}).
 */
class SipArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.doorpair.welcome");

  @Test
  void only_the_sip_package_imports_jain_sip() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.doorpair.welcome.sip..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("javax.sip..", "gov.nist..")
        .check(MAIN);
  }

  @Test
  void the_sip_package_uses_nothing_android_lacks() {
    noClasses()
        .that()
        .resideInAPackage("io.doorpair.welcome.sip..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "sun..", "com.sun..", "java.awt..", "javax.management..", "javax.naming..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.HexFormat")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .check(MAIN);
  }
}
