package io.doorpair.crypto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.doorpair.crypto");
  private static final JavaClasses ALL =
      new ClassFileImporter().importPackages("io.doorpair.crypto");

  @Test
  void public_api_keeps_bouncy_castle_out_of_its_signatures() {
    classes()
        .that()
        .resideOutsideOfPackage("..internal..")
        .and()
        .arePublic()
        .should(notExposeBouncyCastle())
        .check(MAIN);
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
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.SplittableRandom")
        .orShould()
        .callMethod(Math.class, "random")
        .check(ALL);
  }

  @Test
  void bouncy_castle_is_never_registered_globally() {
    noClasses()
        .should()
        .callMethod(Security.class, "addProvider", Provider.class)
        .orShould()
        .callMethod(Security.class, "insertProviderAt", Provider.class, int.class)
        .check(ALL);
  }

  @Test
  void no_android_hostile_jdk_apis() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("javax.naming..", "java.awt..", "javax.swing..", "sun..", "com.sun..")
        .check(MAIN);
  }

  @Test
  void every_main_package_has_a_package_info() throws IOException {
    Path root = Paths.get("src/main/java");
    List<Path> missing = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      Set<Path> dirs =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .map(Path::getParent)
              .collect(Collectors.toSet());
      for (Path dir : dirs) {
        if (!Files.exists(dir.resolve("package-info.java"))) {
          missing.add(root.relativize(dir));
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  private static ArchCondition<JavaClass> notExposeBouncyCastle() {
    return new ArchCondition<>("not expose org.bouncycastle types in public members") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        List<JavaClass> exposed = new ArrayList<>();
        javaClass.getRawSuperclass().ifPresent(exposed::add);
        exposed.addAll(javaClass.getRawInterfaces());
        for (JavaMember member : javaClass.getMembers()) {
          if (!member.getModifiers().contains(JavaModifier.PUBLIC)
              && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
            continue;
          }
          if (member instanceof JavaField) {
            exposed.addAll(((JavaField) member).getType().getAllInvolvedRawTypes());
          } else if (member instanceof JavaCodeUnit) {
            JavaCodeUnit unit = (JavaCodeUnit) member;
            exposed.addAll(unit.getReturnType().getAllInvolvedRawTypes());
            for (JavaType parameter : unit.getParameterTypes()) {
              exposed.addAll(parameter.getAllInvolvedRawTypes());
            }
            unit.getThrowsClause().getTypes().forEach(exposed::add);
          }
        }
        for (JavaClass type : exposed) {
          if (type.getPackageName().startsWith("org.bouncycastle")) {
            events.add(
                SimpleConditionEvent.violated(
                    javaClass, javaClass.getName() + " exposes " + type.getName()));
          }
        }
      }
    };
  }
}
