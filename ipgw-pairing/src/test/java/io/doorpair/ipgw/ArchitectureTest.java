package io.doorpair.ipgw;

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

/** DESIGN §1 and LAYOUT for the gateway agent's main code. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.doorpair.ipgw");
  }

  @Test
  void the_gateway_never_depends_on_portal_modules() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.doorpair.portal..", "io.doorpair.ca..", "io.doorpair.sipedge..")
        .check(classes);
  }

  @Test
  void files_and_store_know_nothing_of_the_portal_or_each_other() {
    noClasses()
        .that()
        .resideInAnyPackage("..ipgw.files..", "..ipgw.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.doorpair.welcome..",
            "..ipgw.pairing..",
            "..ipgw.requests..",
            "..ipgw.outbox..",
            "..ipgw.accounts..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("..ipgw.files..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..ipgw.store..", "java.sql..")
        .check(classes);
  }

  @Test
  void operations_know_no_other_gateway_package_and_only_they_see_micrometer() {
    noClasses()
        .that()
        .resideInAPackage("io.doorpair.ipgw.ops..")
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.resideInAPackage("io.doorpair.ipgw..")
                .and(
                    DescribedPredicate.not(
                        JavaClass.Predicates.resideInAPackage("io.doorpair.ipgw.ops.."))))
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("io.doorpair.ipgw.ops..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micrometer..")
        .check(classes);
  }

  @Test
  void nothing_writes_to_standard_output_or_uses_java_util_random() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(classes);
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .check(classes);
  }

  @Test
  void every_package_has_a_package_info() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      Set<Path> packages = new TreeSet<>();
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> packages.add(f.getParent()));
      assertThat(packages).isNotEmpty();
      assertThat(packages).allSatisfy(d -> assertThat(d.resolve("package-info.java")).exists());
    }
  }
}
