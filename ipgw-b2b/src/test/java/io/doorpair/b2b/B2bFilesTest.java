package io.doorpair.b2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.conf.B2bFiles;
import io.doorpair.b2b.conf.FileFormatException;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.conf.PasswdFile;
import io.doorpair.b2b.testing.GatewayRoot;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code b2b} refuses to start on a missing or bad file, naming the file and the line. */
class B2bFilesTest {
  private static final String DOMAIN = "k3x9abcd1234";
  @TempDir Path dir;
  private GatewayRoot gateway;

  @BeforeEach
  void writeFiles() throws Exception {
    gateway =
        GatewayRoot.write(
            dir, TestPki.shared(), DOMAIN, "sips:127.0.0.1:5061", List.of("alice"), List.of());
  }

  private String refusal() {
    return assertThatThrownBy(() -> B2bFiles.load(gateway.paths(), Instant.now()))
        .isInstanceOf(FileFormatException.class)
        .actual()
        .getMessage();
  }

  @Test
  void good_files_load() {
    B2bFiles files = B2bFiles.load(gateway.paths(), Instant.now());
    assertThat(files.conf().domain()).isEqualTo(DOMAIN);
    assertThat(files.acl()).containsExactly("alice");
    assertThat(files.accounts()).hasSize(2);
    assertThat(files.appAccounts())
        .singleElement()
        .satisfies(a -> assertThat(a.portalUser()).isEqualTo("alice"));
    assertThat(files.toString()).doesNotContain(GatewayRoot.B2B_PASSWORD.reveal());
  }

  @Test
  void each_missing_file_is_named() throws Exception {
    for (Path file : gateway.paths().all()) {
      Path aside = file.resolveSibling(file.getFileName() + ".aside");
      Files.move(file, aside);
      assertThat(refusal()).isEqualTo(file + ": no such file");
      Files.move(aside, file);
    }
  }

  @Test
  void a_malformed_b2b_conf_names_its_line() throws Exception {
    Path conf = gateway.paths().b2bConf();
    Files.writeString(conf, Files.readString(conf).replace("[b2b]\n", "[b2b]\nnonsense\n"));
    assertThat(refusal()).isEqualTo(conf + ": line 3: expected key=value in [b2b]");
  }

  @Test
  void a_malformed_acl_names_its_line() throws Exception {
    GatewayRoot.write(gateway.paths().aclList(), "alice\nbob\nEve\n", "rw-r--r--");
    assertThat(refusal()).isEqualTo(gateway.paths().aclList() + ": line 3: name 3: not lowercase");
  }

  @Test
  void a_malformed_password_file_names_its_line_and_never_a_password() throws Exception {
    Path passwd = gateway.paths().passwdFile();
    GatewayRoot.write(
        passwd, Files.readString(passwd) + "alice@" + DOMAIN + " clrtxt:Secret99 \n", "rw-------");
    assertThat(refusal())
        .isEqualTo(passwd + ": line 4: expected 'user@domain clrtxt:PASSWORD ;'")
        .doesNotContain("Secret99");
  }

  @Test
  void a_key_of_another_certificate_is_refused() throws Exception {
    TestPki.Leaf other = TestPki.shared().issueClient("ipgw@" + DOMAIN, Optional.empty());
    GatewayRoot.write(
        gateway.paths().agentPem(),
        other.privateKeyPem() + gateway.agent().certificatePem(),
        "rw-------");
    assertThat(refusal())
        .isEqualTo(gateway.paths().agentPem() + ": the private key does not match the certificate");
  }

  @Test
  void a_b2b_conf_or_password_file_readable_by_others_is_refused() throws Exception {
    java.nio.file.Files.setPosixFilePermissions(
        gateway.paths().b2bConf(),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(refusal()).startsWith(gateway.paths().b2bConf() + ": readable by group or others");
    java.nio.file.Files.setPosixFilePermissions(
        gateway.paths().b2bConf(),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    java.nio.file.Files.setPosixFilePermissions(
        gateway.paths().passwdFile(),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    assertThat(refusal())
        .startsWith(gateway.paths().passwdFile() + ": readable by group or others");
  }

  @Test
  void an_agent_pem_readable_by_others_is_refused() throws Exception {
    GatewayRoot.write(gateway.paths().agentPem(), gateway.agent().agentPem(), "rw-r--r--");
    assertThat(refusal()).startsWith(gateway.paths().agentPem() + ": readable by group or others");
  }

  @Test
  void a_certificate_of_another_ca_or_domain_is_refused() throws Exception {
    TestPki.Leaf rogue = TestPki.shared().issueRogueClient("ipgw@" + DOMAIN, Optional.empty());
    GatewayRoot.write(gateway.paths().agentPem(), rogue.agentPem(), "rw-------");
    assertThat(refusal())
        .isEqualTo(
            gateway.paths().agentPem()
                + ": the certificate is not issued by the CA in "
                + gateway.paths().caFile());
    TestPki.Leaf elsewhere = TestPki.shared().issueClient("ipgw@zzzzzzzzzzzz", Optional.empty());
    GatewayRoot.write(gateway.paths().agentPem(), elsewhere.agentPem(), "rw-------");
    assertThat(refusal())
        .isEqualTo(
            gateway.paths().agentPem()
                + ": the certificate is for ipgw@zzzzzzzzzzzz, but "
                + gateway.paths().b2bConf()
                + " says ipgw@"
                + DOMAIN);
  }

  @Test
  void a_password_file_without_the_b2b_account_is_refused() throws Exception {
    GatewayRoot.write(gateway.paths().passwdFile(), "version:1\n", "rw-------");
    assertThat(refusal()).isEqualTo(gateway.paths().passwdFile() + ": no account ipgw@" + DOMAIN);
  }

  @Test
  void a_malformed_accounts_list_names_its_line() throws Exception {
    Path accounts = gateway.paths().accountsList();
    GatewayRoot.write(
        accounts,
        Files.readString(accounts) + "bob-1 bob - opendoor all-devices portal\n",
        "rw-r--r--");
    assertThat(refusal())
        .isEqualTo(
            accounts + ": line 3: unknown right (door-calls, open-door, cameras, or - for none)");
  }

  @Test
  void an_account_missing_from_the_password_file_is_refused() throws Exception {
    Path accounts = gateway.paths().accountsList();
    GatewayRoot.write(
        accounts,
        Files.readString(accounts) + "bob-1 bob - cameras all-devices lan\n",
        "rw-r--r--");
    assertThat(refusal()).startsWith(accounts + ": account bob-1 is not an app account of");
  }

  @Test
  void an_acl_user_without_an_account_that_receives_door_calls_is_refused() throws Exception {
    GatewayRoot.write(gateway.paths().aclList(), "alice\nbob\n", "rw-r--r--");
    assertThat(refusal())
        .isEqualTo(
            gateway.paths().aclList()
                + ": user bob has no account used through the portal with the door-calls right in "
                + gateway.paths().accountsList());
  }

  @Test
  void an_acl_user_whose_door_calls_account_is_a_lan_account_only_is_refused() throws Exception {
    List<PasswdEntry> entries =
        new java.util.ArrayList<>(PasswdFile.parse(Files.readString(gateway.paths().passwdFile())));
    entries.add(new PasswdEntry("bob-0a1b2c", DOMAIN, SipPassword.of("BobPassw0rdBob")));
    GatewayRoot.write(gateway.paths().passwdFile(), PasswdFile.render(entries), "rw-------");
    Path accounts = gateway.paths().accountsList();
    GatewayRoot.write(
        accounts,
        Files.readString(accounts) + "bob-0a1b2c bob - door-calls all-devices lan\n",
        "rw-r--r--");
    GatewayRoot.write(gateway.paths().aclList(), "alice\nbob\n", "rw-r--r--");
    assertThat(refusal()).startsWith(gateway.paths().aclList() + ": user bob has no account");
  }

  @Test
  void an_accounts_list_of_version_1_is_refused_naming_file_and_line() throws Exception {
    GatewayRoot.write(
        gateway.paths().accountsList(), "accounts:1\nbob-1 bob - cameras gruu-only\n", "rw-r--r--");
    assertThat(refusal())
        .isEqualTo(
            gateway.paths().accountsList()
                + ": line 1: the first line must be accounts:2 (version 1 is not read: ipgw"
                + " rewrites the file)");
  }
}
