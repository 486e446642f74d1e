package io.doorpair.ca;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files written so that a reader sees the old content or the new, never half of it: a temporary
 * file in the same folder, created with its final permissions, synced, then renamed, then the
 * folder synced.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code content} to a new temporary file beside {@code target}; returns it synced. */
  static Path stage(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path temp =
        Files.createTempFile(
            target.getParent(),
            "." + target.getFileName() + ".",
            ".tmp",
            PosixFilePermissions.asFileAttribute(permissions));
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return temp;
  }

  /** Renames a staged file over {@code target} atomically. */
  static void commit(Path staged, Path target) throws IOException {
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Syncs a folder so that renames in it survive a power loss (best effort off Linux). */
  static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or sync a directory; the rename itself is still atomic.
    }
  }
}
