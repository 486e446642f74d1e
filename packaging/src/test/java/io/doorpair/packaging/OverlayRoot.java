package io.doorpair.packaging;

import io.doorpair.sipedge.testing.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away copy of this machine to install packages into: the root file system mounted as the
 * lower layer of an overlay whose upper layer is a temporary folder, entered with {@code chroot},
 * in a mount namespace of its own ({@code unshare -m}) so that nothing is mounted for the rest of
 * the machine. Every command mounts the overlay anew over the same upper layer, so what one command
 * installed the next one sees; the machine's own files are never written.
 *
 * <p>Needs root (CI runs as root), {@code unshare}, {@code chroot} and overlayfs: without them the
 * test is skipped locally and fails under {@code CI=true}.
 */
final class OverlayRoot implements AutoCloseable {
  private static final String ENTER =
      String.join(
          "\n",
          "set -eu",
          "merged=$1 upper=$2 work=$3",
          "shift 3",
          "mount -t overlay overlay -o \"lowerdir=/,upperdir=$upper,workdir=$work\" \"$merged\"",
          "mount -t proc proc \"$merged/proc\"",
          "mount --rbind /dev \"$merged/dev\"",
          "exec chroot \"$merged\" \"$@\"");

  private final Path dir;

  private OverlayRoot(Path dir) {
    this.dir = dir;
  }

  /** A fresh overlay over {@code /}, or the test stops (skipped locally, failed in CI). */
  static OverlayRoot create() {
    Peers.require("unshare", "util-linux");
    Peers.require("chroot", "coreutils");
    String reason = null;
    if (!"0".equals(Processes.run(List.of("id", "-u")).output().strip())) {
      reason = "installing into an overlay root needs root (CI runs as root)";
    }
    OverlayRoot root = null;
    if (reason == null) {
      try {
        Path dir = Files.createTempDirectory("doorpair-overlay-");
        for (String sub : List.of("upper", "work", "merged")) {
          Files.createDirectory(dir.resolve(sub));
        }
        root = new OverlayRoot(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make an overlay folder", e);
      }
      Processes.Result probe = root.run("true");
      if (probe.exitCode() != 0) {
        root.close();
        root = null;
        reason = "cannot mount an overlay of / in a mount namespace: " + probe.output().strip();
      }
    }
    if (reason != null) {
      if (Peers.inCi()) {
        Assertions.fail(reason);
      }
      Assumptions.abort(reason + ": test skipped");
    }
    return root;
  }

  /** Runs {@code command} chrooted into the overlay (this process's environment, Java's PATH). */
  Processes.Result run(String... command) {
    List<String> argv = new ArrayList<>(List.of("unshare", "-m", "sh", "-c", ENTER, "sh"));
    argv.add(dir.resolve("merged").toString());
    argv.add(dir.resolve("upper").toString());
    argv.add(dir.resolve("work").toString());
    argv.addAll(List.of(command));
    return Processes.run(argv, Map.of("DEBIAN_FRONTEND", "noninteractive"), null);
  }

  /** Puts a file into the overlay at {@code path} (absolute inside it), through the upper layer. */
  void put(Path file, String path) {
    try {
      Path target = dir.resolve("upper").resolve(path.substring(1));
      Files.createDirectories(target.getParent());
      Files.copy(file, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + file + " into the overlay", e);
    }
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the overlay folder " + dir, e);
    }
  }
}
