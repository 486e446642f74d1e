package io.doorpair.sipedge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.doorpair.sipedge");

  @Test
  void only_the_stack_package_sees_jain_sip() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.doorpair.sipedge.stack..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("javax.sip..", "gov.nist..")
        .check(MAIN);
  }

  @Test
  void only_the_redis_package_sees_the_redis_client() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.doorpair.sipedge.redis..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("redis.clients..", "org.apache.commons.pool2..")
        .check(MAIN);
  }

  @Test
  void domain_packages_never_see_the_stack_or_the_program() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.doorpair.sipedge.admission..",
            "io.doorpair.sipedge.metrics..",
            "io.doorpair.sipedge.proxy..",
            "io.doorpair.sipedge.registrar..",
            "io.doorpair.sipedge.revocation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.doorpair.sipedge.stack..", "io.doorpair.sipedge.redis..")
        .orShould()
        .dependOnClassesThat()
        .haveNameMatching("io\\.doorpair\\.sipedge\\.[A-Z].*")
        .check(MAIN);
  }

  @Test
  void no_sql_no_http_and_no_portal_api() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..", "javax.sql..", "io.javalin..", "okhttp3..", "io.doorpair.portal..")
        .check(MAIN);
  }

  @Test
  void only_operations_and_the_program_see_micrometer_and_the_http_server() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.doorpair.sipedge.ops..", "io.doorpair.sipedge.node..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.micrometer..", "com.sun.net.httpserver..")
        .check(MAIN);
  }

  @Test
  void common_crypto_internals_and_java_util_random_are_not_used() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.doorpair.crypto.internal..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .check(MAIN);
  }

  @Test
  void every_package_has_a_package_info() {
    for (String p :
        new String[] {
          "",
          "/admission",
          "/metrics",
          "/proxy",
          "/registrar",
          "/revocation",
          "/stack",
          "/redis",
          "/ops",
          "/node"
        }) {
      assertThat(
              Files.exists(Paths.get("src/main/java/io/doorpair/sipedge" + p, "package-info.java")))
          .as(p)
          .isTrue();
    }
  }
}
