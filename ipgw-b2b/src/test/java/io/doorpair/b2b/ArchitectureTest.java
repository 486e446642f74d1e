package io.doorpair.b2b;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

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

/** DESIGN §1 and LAYOUT for the b2b's main code. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.doorpair.b2b");
  }

  @Test
  void only_the_stack_package_imports_jain_sip() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..b2b.stack..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("javax.sip..", "gov.nist..")
        .check(classes);
  }

  @Test
  void the_file_codecs_know_no_sip_and_nothing_else_of_the_b2b() {
    noClasses()
        .that()
        .resideInAPackage("..b2b.conf..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "javax.sip..", "gov.nist..", "..b2b.stack..", "..b2b.upstream..", "..b2b.cli..")
        .check(classes);
  }

  @Test
  void who_may_do_what_is_decided_without_sip() {
    noClasses()
        .that()
        .resideInAPackage("..b2b.access..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "javax.sip..", "gov.nist..", "..b2b.stack..", "..b2b.upstream..", "..b2b.cli..")
        .check(classes);
  }

  @Test
  void only_operations_see_micrometer_and_the_http_server_and_the_observer_knows_no_sip() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..b2b.ops..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.micrometer..", "com.sun.net.httpserver..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("..b2b.metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("javax.sip..", "gov.nist..", "..b2b.stack..", "..b2b.ops..")
        .check(classes);
  }

  @Test
  void the_door_simulator_is_a_lan_device_that_speaks_only_sip_to_the_b2b() {
    noClasses()
        .that()
        .resideInAPackage("..b2b.doorsim..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "javax.sip..",
            "gov.nist..",
            "..b2b.stack..",
            "..b2b.localsip..",
            "..b2b.upstream..",
            "..b2b.access..",
            "..b2b.conf..",
            "..b2b.journal..",
            "..b2b.cli..")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("..b2b.doorsim..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..b2b.doorsim..")
        .check(classes);
  }

  @Test
  void the_b2b_never_depends_on_portal_or_gateway_agent_code() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.doorpair.portal..",
            "io.doorpair.ca..",
            "io.doorpair.sipedge..",
            "io.doorpair.ipgw..")
        .check(classes);
  }

  @Test
  void only_the_command_line_writes_to_the_console_and_nothing_uses_java_util_random() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..b2b.cli..")
        .and()
        .doNotHaveSimpleName("Main")
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
    Set<Path> packages = new TreeSet<>();
    Set<Path> documented = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(
              f -> {
                packages.add(f.getParent());
                if (f.getFileName().toString().equals("package-info.java")) {
                  documented.add(f.getParent());
                }
              });
    }
    assertThat(documented).containsExactlyElementsOf(packages);
  }
}
