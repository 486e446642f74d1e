package io.doorpair.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.sipedge.testing.Peers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A package installed with the real {@code dpkg -i} into an {@link OverlayRoot} (a throw-away copy
 * of this Debian machine), its programs started there through {@code /usr/bin}, then removed and
 * purged. The steps run in order on one overlay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class InstallContract {
  private static final String DEB_IN_ROOT = "/var/cache/doorpair-test/package.deb";

  OverlayRoot root;

  abstract PackageSpec spec();

  /** Folders postinst makes besides the packaged key folders (owned by the user, 0700). */
  abstract List<String> extraUserDirs();

  /** A secret file the user writes into one of its folders, as the programs do with keys. */
  abstract String secretFile();

  @BeforeAll
  void overlay() {
    DebArchive deb = DebArchive.built(spec().name());
    root = OverlayRoot.create();
    root.put(deb.file(), DEB_IN_ROOT);
  }

  @AfterAll
  void dropOverlay() {
    if (root != null) {
      root.close();
    }
  }

  String status() {
    return root.run("dpkg-query", "-W", "-f=${Status}", spec().name()).output().strip();
  }

  boolean exists(String path) {
    return root.run("test", "-e", path).exitCode() == 0;
  }

  @Test
  @Order(1)
  void installsWithDpkgOnDebiansJava() {
    assertThat(status()).as("not installed before").doesNotContain("installed");
    root.run("dpkg", "-i", DEB_IN_ROOT).expectSuccess();
    assertThat(status()).isEqualTo("install ok installed");
  }

  @Test
  @Order(2)
  void postinstMadeASystemUserWithoutLoginOwningItsFolders() {
    String passwd = root.run("getent", "passwd", spec().user()).expectSuccess().strip();
    String[] fields = passwd.split(":");
    assertThat(Integer.parseInt(fields[2])).as("a system uid").isLessThan(1000);
    assertThat(fields[6]).isEqualTo("/usr/sbin/nologin");
    root.run("getent", "group", spec().user()).expectSuccess();
    List<String> dirs = new ArrayList<>(spec().keyDirs());
    dirs.addAll(extraUserDirs());
    for (String dir : dirs) {
      String stat = root.run("stat", "-c", "%U:%G %a", dir).expectSuccess().strip();
      assertThat(stat).as(dir).isEqualTo(spec().user() + ":" + spec().user() + " 700");
    }
  }

  @Test
  @Order(3)
  void installedUnitsVerifyWithTheirInstalledPrograms() {
    Peers.require("systemd-analyze", "systemd");
    for (PackageSpec.Program program : spec().programs()) {
      Processes.Result verify =
          root.run("systemd-analyze", "verify", PackageContract.UNIT_DIR + "/" + program.unit());
      assertThat(verify.output()).as(program.unit()).isEmpty();
      assertThat(verify.exitCode()).as(program.unit()).isZero();
    }
  }

  @Test
  @Order(4)
  void theUserWritesItsSecretsThatNobodyElseReads() {
    String secret = secretFile();
    root.run(
            "runuser",
            "-u",
            spec().user(),
            "--",
            "sh",
            "-c",
            "umask 077 && echo not-a-real-key > \"$1\"",
            "sh",
            secret)
        .expectSuccess();
    Processes.Result other = root.run("runuser", "-u", "nobody", "--", "cat", secret);
    assertThat(other.exitCode()).as("nobody reads " + secret).isNotEqualTo(0);
    assertThat(other.output()).contains("Permission denied").doesNotContain("not-a-real-key");
  }

  @Test
  @Order(5)
  void reinstallOverItselfKeepsTheUserItsFoldersAndSecrets() {
    String uid = root.run("id", "-u", spec().user()).expectSuccess().strip();
    root.run("dpkg", "-i", DEB_IN_ROOT).expectSuccess();
    assertThat(status()).isEqualTo("install ok installed");
    assertThat(root.run("id", "-u", spec().user()).expectSuccess().strip()).isEqualTo(uid);
    for (String dir : spec().keyDirs()) {
      String stat = root.run("stat", "-c", "%U:%G %a", dir).expectSuccess().strip();
      assertThat(stat).as(dir).isEqualTo(spec().user() + ":" + spec().user() + " 700");
    }
    assertThat(exists(secretFile())).isTrue();
  }

  @Test
  @Order(6)
  void programsStartFromUsrBinWithTheInstalledJars() {
    for (PackageSpec.Program program : spec().programs()) {
      Processes.Result help =
          root.run(
              "runuser",
              "-u",
              spec().user(),
              "--",
              "env",
              "-u",
              "DOORPAIR_JAVA_OPTS",
              "/usr/bin/" + program.name(),
              "--help");
      assertThat(help.output()).as(program.name()).contains("Usage: " + program.name());
      assertThat(help.exitCode()).as(program.name() + " --help\n" + help.output()).isZero();
    }
  }

  @Test
  @Order(7)
  void removeKeepsConffilesUserAndData() {
    root.run("dpkg", "-r", spec().name()).expectSuccess();
    assertThat(status()).isEqualTo("deinstall ok config-files");
    for (PackageSpec.Program program : spec().programs()) {
      assertThat(exists("/usr/bin/" + program.name())).as(program.name()).isFalse();
      assertThat(exists(program.envFile())).as(program.envFile()).isTrue();
    }
    assertThat(exists(secretFile())).isTrue();
    root.run("getent", "passwd", spec().user()).expectSuccess();
  }

  @Test
  @Order(8)
  void purgeRemovesConffilesKeysDataAndTheUser() {
    root.run("dpkg", "--purge", spec().name()).expectSuccess();
    assertThat(status()).doesNotContain("installed").doesNotContain("config-files");
    for (PackageSpec.Program program : spec().programs()) {
      assertThat(exists(program.envFile())).as(program.envFile()).isFalse();
    }
    List<String> dirs = new ArrayList<>(spec().keyDirs());
    dirs.addAll(extraUserDirs());
    for (String dir : dirs) {
      assertThat(exists(dir)).as(dir).isFalse();
    }
    assertThat(root.run("getent", "passwd", spec().user()).exitCode()).isNotZero();
    assertThat(root.run("getent", "group", spec().user()).exitCode()).isNotZero();
  }
}
