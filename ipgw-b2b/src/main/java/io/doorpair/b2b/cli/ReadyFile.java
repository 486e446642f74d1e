package io.doorpair.b2b.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The ready file, {@code {"pid":123,"domain":"k3x9abcd1234"}}, written whole or not at all once the
 * b2b started (temporary file in the same folder, forced, renamed), and removed at shutdown.
 */
final class ReadyFile {
  private ReadyFile() {}

  /** The JSON text: {@code pid}, the gateway {@code domain}, the management listener if any. */
  static String json(long pid, String domain, java.util.Optional<String> management) {
    return "{\"pid\":"
        + pid
        + ",\"domain\":\""
        + domain.replace("\"", "")
        + "\""
        + management.map(m -> ",\"management\":\"" + m.replace("\"", "") + "\"").orElse("")
        + "}\n";
  }

  /** Writes {@code content} to {@code target} atomically, mode 0644. */
  static void write(Path target, String content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp =
        Files.createTempFile(
            dir,
            "." + target.getFileName() + ".",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
