package io.doorpair.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module dependency rules of DESIGN §1 that span modules, checked on the main classes of every
 * module together (this module sees them all on its test class path). Each module also checks its
 * own package rules, and the Maven enforcer bans the forbidden artifacts.
 */
class ModuleRulesTest {
  private static JavaClasses all;
  private static JavaClasses scenarios;

  @BeforeAll
  static void importEveryModule() {
    all =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/e2e-tests/"))
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.doorpair");
    scenarios =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.doorpair.e2e");
  }

  @Test
  void common_crypto_depends_on_the_jdk_and_bouncy_castle_only() {
    noClasses()
        .that()
        .resideInAPackage("io.doorpair.crypto..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages(
            "io.doorpair.crypto..", "java..", "javax..", "org.bouncycastle..", "")
        .check(all);
  }

  @Test
  void gateway_modules_never_depend_on_portal_modules() {
    noClasses()
        .that()
        .resideInAnyPackage("io.doorpair.ipgw..", "io.doorpair.b2b..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.doorpair.portal..", "io.doorpair.ca..", "io.doorpair.sipedge..")
        .allowEmptyShould(true)
        .check(all);
  }

  @Test
  void the_welcome_client_never_depends_on_server_modules() {
    noClasses()
        .that()
        .resideInAPackage("io.doorpair.welcome..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.doorpair.portal..",
            "io.doorpair.ca..",
            "io.doorpair.sipedge..",
            "io.doorpair.ipgw..",
            "io.doorpair.b2b..",
            "io.javalin..",
            "java.sql..")
        .check(all);
  }

  @Test
  void the_ca_knows_nothing_of_http_sql_or_sip() {
    noClasses()
        .that()
        .resideInAPackage("io.doorpair.ca..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.doorpair.portal..", "io.javalin..", "java.sql..", "javax.sip..", "gov.nist..")
        .check(all);
  }

  @Test
  void the_e2e_harness_knows_no_scenario() {
    noClasses()
        .that()
        .resideInAPackage("io.doorpair.e2e.harness..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.doorpair.e2e")
        .check(scenarios);
  }

  @Test
  void e2e_door_stations_are_real_peers_not_the_raw_sip_test_double() {
    noClasses()
        .that()
        .resideInAPackage("io.doorpair.e2e..")
        .should()
        .dependOnClassesThat()
        .haveNameMatching("io\\.doorpair\\.b2b\\.doorsim\\..*")
        .because(
            "issue 6 wants a real door station (linphone-daemon) in the end-to-end tests; the"
                + " newcomer walk-through runs bin/door-sim as its own process")
        .check(scenarios);
  }
}
