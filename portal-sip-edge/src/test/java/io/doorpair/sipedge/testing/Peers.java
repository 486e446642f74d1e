package io.doorpair.sipedge.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The gate in front of tests that drive a real peer program ({@code linphone-daemon}, {@code
 * openssl}, {@code kamailio}): when the program is missing the test is skipped with a visible
 * reason, except in CI (environment {@code CI=true}), which installs the peers and where a missing
 * one is a failure.
 */
public final class Peers {
  private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/sbin");

  private Peers() {}

  /**
   * The path of {@code program}, or the test stops here: skipped locally, failed in CI.
   *
   * @param program the executable's name, e.g. {@code linphone-daemon}
   * @param debianPackage the package that installs it, named in the reason
   * @return the executable
   */
  public static Path require(String program, String debianPackage) {
    return require(program, debianPackage, inCi());
  }

  static Path require(String program, String debianPackage, boolean ci) {
    Optional<Path> found = find(program);
    if (found.isPresent()) {
      return found.get();
    }
    String reason =
        "real peer "
            + program
            + " is not installed (apt-get install -y "
            + debianPackage
            + "): test skipped";
    if (ci) {
      Assertions.fail(
          "real peer " + program + " is required in CI (CI=true) but not found on PATH");
    }
    Assumptions.abort(reason);
    throw new IllegalStateException("unreachable: " + reason);
  }

  /** As {@link #require(String, String)} when the Debian package has the program's name. */
  public static Path require(String program) {
    return require(program, program);
  }

  /** The executable {@code program} on {@code PATH} (or in the system dirs), if any. */
  public static Optional<Path> find(String program) {
    if (program.isEmpty() || program.contains("/")) {
      throw new IllegalArgumentException("a program name without a path: " + program);
    }
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(SYSTEM_DIRS);
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether this run is CI ({@code CI=true}), where missing peers fail instead of skipping. */
  public static boolean inCi() {
    return Boolean.parseBoolean(System.getenv("CI"));
  }
}
