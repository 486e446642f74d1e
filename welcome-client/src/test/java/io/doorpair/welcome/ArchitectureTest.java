package io.doorpair.welcome;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of welcome-client: the library (api, http, profile, flow) is what an Android
 * app embeds; the command line sits on top and nothing in the library sees it or picocli.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.doorpair.welcome");
  }

  @Test
  void the_library_never_depends_on_the_command_line_or_picocli() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.doorpair.welcome.api..",
            "io.doorpair.welcome.http..",
            "io.doorpair.welcome.profile..",
            "io.doorpair.welcome.flow..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.doorpair.welcome.cli..", "picocli..")
        .check(main);
  }

  @Test
  void the_wire_records_and_the_client_know_nothing_of_profiles_or_flows() {
    noClasses()
        .that()
        .resideInAnyPackage("io.doorpair.welcome.api..", "io.doorpair.welcome.http..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.doorpair.welcome.profile..", "io.doorpair.welcome.flow..")
        .check(main);
  }

  @Test
  void profiles_know_nothing_of_the_portal_or_the_flow() {
    noClasses()
        .that()
        .resideInAPackage("io.doorpair.welcome.profile..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.doorpair.welcome.http..", "io.doorpair.welcome.flow..", "okhttp3..")
        .check(main);
  }

  @Test
  void the_library_uses_no_jdk_only_api_an_android_app_lacks() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.doorpair.welcome.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "javax.naming..", "java.awt..", "javax.swing..", "java.lang.management..", "sun..")
        .check(main);
  }
}
