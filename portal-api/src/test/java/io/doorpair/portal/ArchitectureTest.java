package io.doorpair.portal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of DESIGN §1 and LAYOUT §5 for portal-api's main code. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.doorpair.portal");
  }

  @Test
  void of_welcome_client_the_portal_uses_only_the_wire_records() {
    noClasses()
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "welcome-client classes outside welcome.api",
                c ->
                    c.getPackageName().startsWith("io.doorpair.welcome")
                        && !c.getPackageName().startsWith("io.doorpair.welcome.api")))
        .check(classes);
  }

  @Test
  void http_handlers_reach_storage_only_through_the_store_interface() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "..portal.http..",
            "..portal.pairing..",
            "..portal.devices..",
            "..portal.access..",
            "..portal.guests..",
            "..portal.events..",
            "..portal.notify..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..store.jdbc..", "..store.sqlite..", "..store.postgres..")
        .check(classes);
  }

  @Test
  void notifications_know_nothing_of_the_rest_of_the_portal() {
    noClasses()
        .that()
        .resideInAPackage("..portal.notify..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "..portal.http..",
            "..portal.access..",
            "..portal.guests..",
            "..portal.events..",
            "..portal.store..",
            "..portal.auth..")
        .check(classes);
  }

  @Test
  void operations_know_no_other_portal_package_and_only_they_see_micrometer() {
    noClasses()
        .that()
        .resideInAPackage("io.doorpair.portal.ops..")
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.resideInAPackage("io.doorpair.portal..")
                .and(
                    DescribedPredicate.not(
                        JavaClass.Predicates.resideInAPackage("io.doorpair.portal.ops.."))))
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("io.doorpair.portal.ops..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micrometer..")
        .check(classes);
  }

  @Test
  void the_access_flow_depends_one_way() {
    noClasses()
        .that()
        .resideInAPackage("..portal.access..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..portal.guests..", "..portal.events..", "..portal.devices..")
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage("..portal.devices..", "..portal.users..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..portal.access..", "..portal.notify..")
        .check(classes);
  }

  @Test
  void only_the_command_line_writes_to_standard_output() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..portal.cli..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(classes);
  }

  @Test
  void nothing_uses_java_util_random() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .check(classes);
  }

  @Test
  void the_portal_never_depends_on_gateway_modules() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.doorpair.ipgw..", "io.doorpair.b2b..")
        .check(classes);
  }

  @Test
  void every_package_has_a_package_info() throws IOException {
    Path sources = Path.of("src/main/java");
    try (Stream<Path> files = Files.walk(sources)) {
      Set<Path> packages = new TreeSet<>();
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> packages.add(f.getParent()));
      assertThat(packages).allSatisfy(dir -> assertThat(dir.resolve("package-info.java")).exists());
    }
  }
}
