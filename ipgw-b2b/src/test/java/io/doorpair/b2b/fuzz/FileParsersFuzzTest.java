package io.doorpair.b2b.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.B2bFiles;
import io.doorpair.b2b.conf.B2bFiles.Access;
import io.doorpair.b2b.conf.FileFormatException;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.conf.PasswdFile;
import io.doorpair.b2b.conf.ReloadNarrowing;
import io.doorpair.crypto.SipPassword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
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
      Files.setPosixFilePermissions(
          paths.passwdFile(), PosixFilePermissions.fromString("rw-------"));
      write(paths.accountsList(), data.consumeRemainingAsBytes());
      try {
        B2bFiles.loadAccess(paths, conf);
      } catch (FileFormatException expected) {
        // refused with the file and line
      }
      // what a refused reload keeps: never more than before, whatever the new files hold
      Access before = before(conf);
      Access kept = ReloadNarrowing.narrowed(before, paths, conf);
      if (!before.accounts().containsAll(kept.accounts())
          || !before.acl().containsAll(kept.acl())) {
        throw new IllegalStateException("a refused reload added an account or a user");
      }
      for (AppAccount a : kept.appAccounts()) {
        AppAccount old =
            before.appAccounts().stream()
                .filter(b -> b.sipUsername().equals(a.sipUsername()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("a refused reload added an app"));
        if ((a.doorCalls() && !old.doorCalls())
            || (a.openDoor() && !old.openDoor())
            || (a.cameras() && !old.cameras())
            || (a.portal() && !old.portal())
            || (a.lan() && !old.lan())) {
          throw new IllegalStateException("a refused reload widened " + a.sipUsername());
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(FileParsersFuzzTest::delete);
      }
    }
  }

  /** The snapshot in use before the fuzzed files: a door, a portal and a LAN account. */
  private static Access before(B2bConf conf) {
    String d = conf.domain();
    return new Access(
        List.of("alice"),
        List.of(
            new PasswdEntry("ipgw", d, conf.password()),
            new PasswdEntry("door1", d, SipPassword.of("DoorPassw0rd1")),
            new PasswdEntry("alice-7f3a", d, SipPassword.of("AlicePassw0rd1")),
            new PasswdEntry("grace-0a1b2c", d, SipPassword.of("GracePassw0rd1"))),
        List.of(
            new AppAccount("alice-7f3a", "alice", Optional.empty(), true, true, false, false),
            new AppAccount(
                "grace-0a1b2c",
                "grace",
                Optional.empty(),
                true,
                false,
                false,
                false,
                false,
                true)));
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
