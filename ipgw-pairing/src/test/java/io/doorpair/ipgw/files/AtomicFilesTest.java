package io.doorpair.ipgw.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic replacement: whole old or whole new, the right mode, no temporary left behind. */
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writes_a_secret_with_mode_0600_creating_folders() throws IOException {
    Path target = dir.resolve("etc/b2b/tls/agent.pem");
    AtomicFiles.write(target, "key", AtomicFiles.SECRET);
    assertThat(target).hasContent("key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-------");
  }

  @Test
  void replaces_content_and_mode_and_leaves_no_temporary() throws IOException {
    Path target = dir.resolve("acl.list");
    Files.writeString(target, "old content that is longer\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxrwxrwx"));
    AtomicFiles.write(target, "new\n", AtomicFiles.PUBLIC);
    assertThat(target).hasContent("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-r--r--");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void a_failed_write_keeps_the_old_file() throws IOException {
    Path target = dir.resolve("passwd");
    Files.writeString(target, "version:1\n");
    Files.createDirectory(dir.resolve("blocker"));
    Path impossible = dir.resolve("blocker");
    Files.writeString(impossible.resolve("x"), "occupied");
    assertThatThrownBy(() -> AtomicFiles.write(impossible, "new", AtomicFiles.PUBLIC))
        .isInstanceOf(IOException.class);
    assertThat(impossible.resolve("x")).hasContent("occupied");
    assertThat(target).hasContent("version:1");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("passwd", "blocker");
    }
  }
}
