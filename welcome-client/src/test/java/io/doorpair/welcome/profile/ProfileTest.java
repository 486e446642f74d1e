package io.doorpair.welcome.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile folder: permissions, atomic replacement, refusing files that do not belong. */
class ProfileTest {
  private static final String DOMAIN = "k3x9abcd1234";

  @TempDir Path dir;

  private final TestPki pki = TestPki.create("Portal CA");
  private final UUID instance = UUID.randomUUID();

  private ProfileSettings settings() {
    return new ProfileSettings(
        "https://portal.test/",
        "alice",
        "portal.test",
        instance,
        "Alice's phone",
        "sip:alice@portal.test;gr=urn:uuid:" + instance);
  }

  private PairedIdentity identity(String cn) {
    TestPki.Leaf leaf = pki.issueClient(cn, Optional.of(instance));
    return new PairedIdentity(
        settings(), leaf.keys().getPrivate(), leaf.certificate(), pki.caCertificate());
  }

  private StoredAccount account(String salt) {
    return new StoredAccount(
        DOMAIN, 42, "alice-7f3a", "QUJD", "sip:x", "sip:ipgw@" + DOMAIN, "portal.test", salt);
  }

  @Test
  void pairing_writes_a_private_folder_and_a_0600_key() throws IOException {
    Profile profile = Profile.at(dir.resolve("p"));
    profile.storePairing(identity("alice@portal.test"));
    assertThat(Files.getPosixFilePermissions(profile.folder()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(profile.keyFile()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(profile.identity().settings()).isEqualTo(settings());
    try (var files = Files.list(profile.folder())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("profile.json", "key.pem", "certificate.pem", "ca.pem");
    }
  }

  @Test
  void an_identity_whose_certificate_has_another_cn_is_refused_and_nothing_written() {
    Profile profile = Profile.at(dir.resolve("p"));
    assertThatThrownBy(() -> profile.storePairing(identity("bob@portal.test")))
        .isInstanceOf(ProfileException.class)
        .hasMessageContaining("bob@portal.test");
    assertThat(Files.exists(profile.folder())).isFalse();
  }

  @Test
  void a_swapped_key_file_is_refused_on_reading() throws IOException {
    Profile profile = Profile.at(dir.resolve("p"));
    profile.storePairing(identity("alice@portal.test"));
    Files.writeString(
        profile.keyFile(),
        pki.issueClient("alice@portal.test", Optional.of(instance)).privateKeyPem());
    assertThatThrownBy(profile::identity)
        .isInstanceOf(ProfileException.class)
        .hasMessageContaining("not for this device's key");
  }

  @Test
  void a_failed_write_leaves_the_previous_account_as_it_was() throws IOException {
    Profile profile = Profile.at(dir.resolve("p"));
    profile.storePairing(identity("alice@portal.test"));
    profile.storeAccount(account("1234"));
    Path accounts = profile.folder().resolve("accounts");
    Path file = accounts.resolve(DOMAIN + ".json");
    String before = Files.readString(file);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    // A read-only folder does not stop root (tests may run as root): make the write fail by
    // putting a plain file where the accounts folder should be.
    Path moved = profile.folder().resolve("accounts-moved");
    Files.move(accounts, moved);
    Files.writeString(accounts, "not a folder");
    try {
      assertThatThrownBy(() -> profile.storeAccount(account("9999")))
          .isInstanceOf(ProfileException.class)
          .hasMessageContaining("cannot store the account");
    } finally {
      Files.delete(accounts);
      Files.move(moved, accounts);
    }
    assertThat(Files.readString(file)).isEqualTo(before);
    assertThat(profile.account(DOMAIN).orElseThrow().codeSalt()).isEqualTo("1234");
    try (var files = Files.list(accounts)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void a_rename_that_fails_leaves_the_target_and_no_temporary_file() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("f"));
    Path target = Files.createDirectories(folder.resolve("target"));
    Files.writeString(target.resolve("inside"), "x");
    assertThatThrownBy(() -> AtomicFiles.writeSecret(target, "new"))
        .isInstanceOf(IOException.class);
    try (var files = Files.list(folder)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("target");
    }
    assertThat(Files.readString(target.resolve("inside"))).isEqualTo("x");
  }

  @Test
  void a_malformed_account_file_is_an_error_naming_the_file() throws IOException {
    Profile profile = Profile.at(dir.resolve("p"));
    profile.storePairing(identity("alice@portal.test"));
    Files.createDirectories(profile.folder().resolve("accounts"));
    Files.writeString(profile.folder().resolve("accounts/" + DOMAIN + ".json"), "{\"domain\":");
    assertThatThrownBy(() -> profile.account(DOMAIN))
        .isInstanceOf(ProfileException.class)
        .hasMessageContaining(DOMAIN + ".json is malformed");
  }

  @Test
  void a_domain_that_could_leave_the_folder_is_refused() {
    Profile profile = Profile.at(dir.resolve("p"));
    assertThatThrownBy(() -> profile.account("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void the_cursor_is_stored_and_read_back_and_garbage_refused() {
    Profile profile = Profile.at(dir.resolve("p"));
    profile.storePairing(identity("alice@portal.test"));
    assertThat(profile.cursor()).isEmpty();
    profile.storeCursor("c-17");
    assertThat(profile.cursor()).contains("c-17");
    assertThatThrownBy(() -> profile.storeCursor("a\nb")).isInstanceOf(ProfileException.class);
    assertThat(profile.cursor()).contains("c-17");
  }
}
