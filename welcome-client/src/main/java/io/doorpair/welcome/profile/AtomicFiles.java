package io.doorpair.welcome.profile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a file atomically: a temporary file beside it (created with its final permissions), the
 * bytes, fsync, rename over the target, fsync of the folder. A reader sees the old content or the
 * new, never a mix; a failure leaves the old file as it was.
 */
public final class AtomicFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> READABLE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /**
   * Writes a secret (a private key, a password) readable by its owner only (0600 where the file
   * system has POSIX permissions).
   *
   * @param target the file to replace
   * @param content the new content, UTF-8
   * @throws IOException when the file cannot be written; the target is then unchanged
   */
  public static void writeSecret(Path target, String content) throws IOException {
    write(target, content.getBytes(StandardCharsets.UTF_8), OWNER_ONLY);
  }

  /**
   * Writes a public file (a certificate, settings): 0644.
   *
   * @param target the file to replace
   * @param content the new content, UTF-8
   * @throws IOException when the file cannot be written; the target is then unchanged
   */
  public static void writePublic(Path target, String content) throws IOException {
    write(target, content.getBytes(StandardCharsets.UTF_8), READABLE);
  }

  private static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path folder = target.toAbsolutePath().getParent();
    Path temp = folder.resolve(tempName(target));
    boolean posix = Files.getFileStore(folder).supportsFileAttributeView("posix");
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
            : new FileAttribute<?>[0];
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      if (posix) {
        // The umask may have narrowed the mode given at creation; set it exactly.
        Files.setPosixFilePermissions(temp, permissions);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename atomically: " + folder, e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    syncFolder(folder);
  }

  /**
   * Creates a folder readable by its owner only (0700), with its parents, if it is missing.
   *
   * @param folder the folder
   * @throws IOException when it cannot be created
   */
  public static void createPrivateFolder(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    Path parent = folder.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    boolean posix = Files.getFileStore(parent).supportsFileAttributeView("posix");
    try {
      if (posix) {
        Files.createDirectory(
            folder,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(folder);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(folder)) {
        throw e;
      }
    }
  }

  /**
   * Deletes a file, if it exists, then syncs its folder so that the deletion is durable.
   *
   * @param target the file
   * @throws IOException when it cannot be deleted
   */
  public static void delete(Path target) throws IOException {
    if (Files.deleteIfExists(target)) {
      syncFolder(target.toAbsolutePath().getParent());
    }
  }

  private static String tempName(Path target) {
    return "."
        + target.getFileName()
        + ".tmp-"
        + Long.toHexString(RANDOM.nextLong()).toLowerCase(Locale.ROOT);
  }

  private static void syncFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open a folder for fsync; the rename itself is still atomic.
    }
  }
}
