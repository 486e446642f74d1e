package io.doorpair.ca;

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
          .importPackages("io.doorpair.ca");
  private static final JavaClasses ALL = new ClassFileImporter().importPackages("io.doorpair.ca");

  @Test
  void no_http_and_no_sql() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "io.javalin..",
            "okhttp3..",
            "java.net.http..",
            "javax.servlet..")
        .check(MAIN);
  }

  @Test
  void common_crypto_internals_are_not_used() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.doorpair.crypto.internal..")
        .check(ALL);
  }

  @Test
  void no_class_uses_java_util_random() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
        .check(ALL);
  }

  @Test
  void package_has_a_package_info() {
    assertThat(Files.exists(Paths.get("src/main/java/io/doorpair/ca/package-info.java"))).isTrue();
  }
}
