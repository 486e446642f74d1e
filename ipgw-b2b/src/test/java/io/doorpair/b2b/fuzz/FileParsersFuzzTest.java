package io.doorpair.b2b.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.B2bFiles;
import io.doorpair.b2b.conf.FileFormatException;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.conf.PasswdFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The parsers of {@code b2b.conf}, {@code acl.list}, {@code accounts.list} and the password file,
 * and the three access files read together as SIGHUP does: whatever the bytes, only {@link
 * FileFormatException} may come out (Jazzer reports any other exception as a finding).
 */
class FileParsersFuzzTest {

  /** The file as {@code B2bFiles} reads it: strict UTF-8, else refused before any parser. */
  private static Optional<String> text(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  @FuzzTest
  void b2b_conf(byte[] input) {
    text(input)
        .ifPresent(
            t -> {
              try {
                B2bConf.parse(t);
              } catch (FileFormatException expected) {
                // refused with its line
              }
            });
  }

  @FuzzTest
  void acl_list(byte[] input) {
    text(input)
        .ifPresent(
            t -> {
              try {
                AclList.parse(t);
              } catch (FileFormatException expected) {
                // refused with its line
              }
            });
  }

  @FuzzTest
  void accounts_list(byte[] input) {
    text(input)
        .ifPresent(
            t -> {
              try {
                AccountsList.parse(t);
              } catch (FileFormatException expected) {
                // refused with its line
              }
            });
  }

  @FuzzTest
  void password_file(byte[] input) {
    text(input)
        .ifPresent(
            t -> {
              try {
                PasswdFile.parse(t);
              } catch (FileFormatException expected) {
                // refused with its line
              }
            });
  }

  /**
   * The three access files written to a real root and read together with their cross-checks ({@code
   * B2bFiles.loadAccess}, what SIGHUP does).
   */
  @FuzzTest
  void access_files_together(FuzzedDataProvider data) throws IOException {
    Path root = Files.createTempDirectory("b2b-fuzz");
    try {
      GatewayPaths paths = GatewayPaths.under(root);
      B2bConf conf =
          B2bConf.parse(
              "[b2b]\n"
                  + "domain=k3x9abcd1234\n"
                  + "portal-sip-uri=sips:portal.test:5061\n"
                  + "internal-sip-uri=sip:127.0.0.1:5070\n"
                  + "password=B2bPassw0rd000\n");
      write(paths.aclList(), data.consumeBytes(data.consumeInt(0, 4096)));
      write(paths.passwdFile(), data.consumeBytes(data.consumeInt(0, 4096)));
      write(paths.accountsList(), data.consumeRemainingAsBytes());
      try {
        B2bFiles.loadAccess(paths, conf);
      } catch (FileFormatException expected) {
        // refused with the file and line
      }
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(FileParsersFuzzTest::delete);
      }
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
