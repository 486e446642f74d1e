package io.doorpair.packaging;

import io.doorpair.sipedge.testing.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code systemd-analyze verify} on a packaged unit. The unit names programs under {@code
 * /usr/bin}, which are not installed on the build machine: a copy of the unit, with {@code
 * /usr/bin/} pointing into the folder the package was extracted to, is verified instead; every
 * other line is the packaged one.
 */
final class UnitVerifier {
  private static final Pattern EXPOSURE =
      Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+) ");

  private UnitVerifier() {}

  /**
   * The exposure level (0 to 10, lower is safer) that {@code systemd-analyze security --offline}
   * gives a unit file, from its sandboxing settings.
   */
  static double exposure(Path unit) {
    Path analyze = Peers.require("systemd-analyze", "systemd");
    Processes.Result result =
        Processes.run(List.of(analyze.toString(), "security", "--offline=yes", unit.toString()));
    Matcher m = EXPOSURE.matcher(result.expectSuccess());
    if (!m.find()) {
      throw new AssertionError("no exposure level for " + unit + ":\n" + result.output());
    }
    return Double.parseDouble(m.group(1));
  }

  /**
   * The output of a verify run; it fails the test when systemd-analyze exits non-zero or says
   * anything at all (unknown keys are only warnings there).
   */
  static String verify(Path unit, Path extractedRoot, Path workDir) {
    Path analyze = Peers.require("systemd-analyze", "systemd");
    try {
      String text = Files.readString(unit);
      String resolved =
          text.replace("=/usr/bin/", "=" + extractedRoot.resolve("usr/bin").toAbsolutePath() + "/");
      Path dir = Files.createDirectories(workDir.resolve("units"));
      Path copy = dir.resolve(unit.getFileName());
      Files.writeString(copy, resolved);
      Processes.Result result =
          Processes.run(List.of(analyze.toString(), "verify", copy.toString()));
      if (result.exitCode() != 0 || !result.output().isBlank()) {
        throw new AssertionError(
            "systemd-analyze verify "
                + unit.getFileName()
                + " exited "
                + result.exitCode()
                + ":\n"
                + result.output());
      }
      return result.output();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot verify " + unit, e);
    }
  }
}
