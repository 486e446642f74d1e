package io.doorpair.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.sipedge.testing.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A built {@code .deb}, read with Debian's own {@code dpkg-deb}. */
final class DebArchive {
  private final Path file;

  private DebArchive(Path file) {
    this.file = file;
  }

  /** The one {@code NAME_VERSION_all.deb} this module's build left in its target folder. */
  static DebArchive built(String packageName) {
    Peers.require("dpkg-deb", "dpkg");
    Path target = Path.of(System.getProperty("doorpair.packaging.target", "target"));
    try (Stream<Path> files = Files.list(target)) {
      List<Path> debs =
          files
              .filter(p -> p.getFileName().toString().startsWith(packageName + "_"))
              .filter(p -> p.getFileName().toString().endsWith("_all.deb"))
              .toList();
      assertThat(debs)
          .as("%s_*_all.deb in %s (built by mvn package)", packageName, target)
          .hasSize(1);
      return new DebArchive(debs.get(0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + target, e);
    }
  }

  Path file() {
    return file;
  }

  /** The control fields (continuation lines joined with newlines). */
  Map<String, String> fields() {
    String text = Processes.run(List.of("dpkg-deb", "--field", file.toString())).expectSuccess();
    Map<String, String> fields = new LinkedHashMap<>();
    String last = null;
    for (String line : text.split("\n")) {
      if (line.startsWith(" ") && last != null) {
        fields.merge(last, line, (a, b) -> a + "\n" + b);
      } else if (line.contains(":")) {
        last = line.substring(0, line.indexOf(':'));
        fields.put(last, line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return fields;
  }

  /** Every entry of the data archive. */
  List<DebEntry> entries() {
    String text = Processes.run(List.of("dpkg-deb", "--contents", file.toString())).expectSuccess();
    return text.lines().filter(l -> !l.isBlank()).map(DebEntry::parse).toList();
  }

  /** The entry at an absolute install path, if any. */
  Optional<DebEntry> entry(String installPath) {
    return entries().stream().filter(e -> e.installPath().equals(installPath)).findFirst();
  }

  /** Extracts the control archive (control, conffiles, maintainer scripts) into {@code dir}. */
  Path extractControl(Path dir) {
    Processes.run(List.of("dpkg-deb", "--control", file.toString(), dir.toString()))
        .expectSuccess();
    return dir;
  }

  /** Extracts the data archive into {@code dir}, as a root to install into. */
  Path extractData(Path dir) {
    Processes.run(List.of("dpkg-deb", "--extract", file.toString(), dir.toString()))
        .expectSuccess();
    return dir;
  }
}
