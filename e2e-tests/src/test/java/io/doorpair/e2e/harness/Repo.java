package io.doorpair.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository (and its {@code bin/} launchers) is. */
public final class Repo {
  private Repo() {}

  /** The repository root: {@code DOORPAIR_HOME}, else the parent of the working directory. */
  public static Path root() {
    String home = System.getenv("DOORPAIR_HOME");
    Path root = home != null ? Path.of(home) : Path.of("").toAbsolutePath().getParent();
    if (!Files.isExecutable(root.resolve("bin/portal"))) {
      throw new IllegalStateException("no bin/portal under " + root + "; set DOORPAIR_HOME");
    }
    return root;
  }

  /** A launcher in {@code bin/}. */
  public static Path bin(String program) {
    return root().resolve("bin").resolve(program);
  }

  /** A fresh folder for one test's actors under {@code e2e-tests/target/e2e}. */
  public static Path workDir(String testClass, String test) throws java.io.IOException {
    Path dir = root().resolve("e2e-tests/target/e2e").resolve(testClass).resolve(test);
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return Files.createDirectories(dir);
  }
}
