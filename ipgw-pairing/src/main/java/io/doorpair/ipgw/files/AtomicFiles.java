package io.doorpair.ipgw.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Writes a file so that a reader, or the file system after a power cut, sees either the old content
 * or the new one, never a mix: a temporary file in the same folder (created with the final mode, so
 * a secret is never readable by others, even briefly), written, fsynced, renamed over the target
 * (atomic move), then the folder fsynced so the rename itself is durable.
 */
public final class AtomicFiles {
  /** Mode of files holding secrets (agent key, passwords). */
  public static final Set<PosixFilePermission> SECRET =
      PosixFilePermissions.fromString("rw-------");

  /** Mode of files anyone on the gateway may read. */
  public static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");

  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code content} (UTF-8), creating its folders.
   *
   * @param target the file
   * @param content the whole new content
   * @param mode the file's permissions ({@link #SECRET} or {@link #PUBLIC})
   * @throws IOException when any step fails; the target then still has its old content
   */
  public static void write(Path target, String content, Set<PosixFilePermission> mode)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] suffix = new byte[6];
    RANDOM.nextBytes(suffix);
    Path temp =
        dir.resolve("." + target.getFileName() + ".tmp-" + HexFormat.of().formatHex(suffix));
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(mode));
      Files.setPosixFilePermissions(temp, mode);
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename atomically in " + dir, e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /**
   * Makes a folder's entries (a rename, a new file) durable.
   *
   * @param dir the folder
   * @throws IOException when the folder cannot be opened or synced
   */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
