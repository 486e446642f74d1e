package io.doorpair.welcome.offline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The offline package stays embeddable in an Android app. */
class OfflineArchitectureTest {
  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.doorpair.welcome");

  @Test
  void the_offline_package_decodes_pixels_without_awt_or_imageio() {
    noClasses()
        .that()
        .resideInAPackage("..welcome.offline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.awt..", "javax.imageio..", "com.google.zxing.client.j2se..")
        .check(classes);
  }

  @Test
  void the_offline_package_needs_no_http_client() {
    noClasses()
        .that()
        .resideInAPackage("..welcome.offline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("okhttp3..", "com.fasterxml.jackson..", "io.doorpair.welcome.http..")
        .check(classes);
  }
}
