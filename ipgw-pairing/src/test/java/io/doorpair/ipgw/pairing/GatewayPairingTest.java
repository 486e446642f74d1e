package io.doorpair.ipgw.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.conf.PasswdFile;
import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.Pem;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.ipgw.testing.TestGateway;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.ChannelPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Gateway pairing against a real portal on loopback (SQLite). */
class GatewayPairingTest {
  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  @Test
  void pairing_writes_every_file_of_design_section_6() throws IOException {
    String owner = Actors.newUser(portal, "owner", "password-owner");
    try (TestGateway gateway = new TestGateway(dir)) {
      Pairing pairing = gateway.pair(portal, owner, "password-owner");
      String domain = pairing.domain();
      assertThat(domain).matches("[a-z0-9]{12}");
      GatewayPaths paths = gateway.paths();

      assertThat(paths.caFile()).exists();
      X509Certificate ca = Pem.parseCertificate(Files.readString(paths.caFile()));
      assertThat(ca).isEqualTo(portal.portal().caCertificate());

      String agent = Files.readString(paths.agentPem());
      assertThat(agent.indexOf("PRIVATE KEY")).isLessThan(agent.indexOf("BEGIN CERTIFICATE"));
      assertThat(mode(paths.agentPem())).isEqualTo("rw-------");
      X509Certificate mine = Pem.parseCertificates(agent).get(0);
      assertThat(CertificateIdentity.of(mine).commonName()).isEqualTo("ipgw@" + domain);
      assertThat(Pem.parsePrivateKey(agent)).isNotNull();

      B2bConf conf = B2bConf.parse(Files.readString(paths.b2bConf()));
      assertThat(conf.domain()).isEqualTo(domain);
      assertThat(conf.portalSipUri()).isEqualTo(TestGateway.SETTINGS.portalSipUri());
      assertThat(conf.internalSipUri()).isEqualTo(TestGateway.SETTINGS.internalSipUri());
      assertThat(mode(paths.b2bConf())).isEqualTo("rw-------");

      List<PasswdEntry> passwd = PasswdFile.parse(Files.readString(paths.passwdFile()));
      assertThat(passwd).containsExactly(new PasswdEntry("ipgw", domain, conf.password()));
      assertThat(conf.password().reveal()).matches("[A-Za-z0-9]{24}");
      assertThat(mode(paths.passwdFile())).isEqualTo("rw-------");

      assertThat(AclList.parse(Files.readString(paths.aclList()))).isEmpty();
      assertThat(gateway.reloads()).isEqualTo(1);

      ChannelPage page = gateway.client(portal).channel(0, Optional.empty(), 10);
      assertThat(page.items()).isEmpty();
    }
  }

  @Test
  void a_taken_domain_starts_over_with_a_new_one() {
    String first = Actors.newUser(portal, "owner", "password1");
    String second = Actors.newUser(portal, "owner", "password1");
    String taken = GatewayDomains.draw(TestGateway.RANDOM);
    String fresh = GatewayDomains.draw(TestGateway.RANDOM);
    try (TestGateway a = new TestGateway(dir.resolve("a"));
        TestGateway b = new TestGateway(dir.resolve("b"))) {
      a.pairing(() -> taken).pair(portal.client(), first, "password1".toCharArray(), "A");
      Pairing paired =
          b.pairing(sequence(taken, fresh))
              .pair(portal.client(), second, "password1".toCharArray(), "B");
      assertThat(paired.domain()).isEqualTo(fresh);
      assertThat(b.stored().domain()).isEqualTo(fresh);
    }
  }

  @Test
  void gives_up_when_every_domain_is_taken_and_changes_nothing() {
    String first = Actors.newUser(portal, "owner", "password1");
    String second = Actors.newUser(portal, "owner", "password1");
    String taken = GatewayDomains.draw(TestGateway.RANDOM);
    try (TestGateway a = new TestGateway(dir.resolve("a"));
        TestGateway b = new TestGateway(dir.resolve("b"))) {
      a.pairing(() -> taken).pair(portal.client(), first, "password1".toCharArray(), "A");
      assertThatThrownBy(
              () ->
                  b.pairing(() -> taken)
                      .pair(portal.client(), second, "password1".toCharArray(), "B"))
          .isInstanceOf(PairingException.class)
          .hasFieldOrPropertyWithValue("code", PairingException.DOMAINS_EXHAUSTED);
      assertThat(b.store().transaction(PairingTable::get)).isEmpty();
      assertThat(b.paths().caFile()).doesNotExist();
    }
  }

  @Test
  void wrong_credentials_change_nothing() {
    String owner = Actors.newUser(portal, "owner", "right-password");
    try (TestGateway gateway = new TestGateway(dir)) {
      assertThatThrownBy(() -> gateway.pair(portal, owner, "wrong-password"))
          .isInstanceOf(PairingException.class)
          .satisfies(e -> assertThat(((PairingException) e).code()).isNotBlank());
      assertThat(gateway.store().transaction(PairingTable::get)).isEmpty();
      assertThat(gateway.root()).doesNotExist();
    }
  }

  @Test
  void a_friendly_name_with_control_characters_is_refused_before_any_request() {
    try (TestGateway gateway = new TestGateway(dir)) {
      for (String name :
          List.of(
              "Loft\nrm -rf",
              "",
              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
              "bell\u0007")) {
        assertThatThrownBy(
                () ->
                    gateway
                        .pairing()
                        .pair(portal.client(), "nobody", "password1".toCharArray(), name))
            .isInstanceOf(PairingException.class)
            .hasFieldOrPropertyWithValue("code", PairingException.BAD_FRIENDLY_NAME);
      }
    }
  }

  @Test
  void pairing_again_for_a_new_owner_replaces_every_file() throws IOException {
    String first = Actors.newUser(portal, "owner", "password1");
    String second = Actors.newUser(portal, "owner", "password1");
    try (TestGateway gateway = new TestGateway(dir)) {
      Pairing one = gateway.pair(portal, first, "password1");
      String agentBefore = Files.readString(gateway.paths().agentPem());
      gateway
          .store()
          .transaction(
              c -> {
                PairingTable.setCursor(c, 0);
                return null;
              });
      Pairing two = gateway.pair(portal, second, "password1");
      assertThat(two.domain()).isNotEqualTo(one.domain());
      assertThat(Files.readString(gateway.paths().agentPem())).isNotEqualTo(agentBefore);
      assertThat(B2bConf.parse(Files.readString(gateway.paths().b2bConf())).domain())
          .isEqualTo(two.domain());
      assertThat(PasswdFile.parse(Files.readString(gateway.paths().passwdFile())))
          .extracting(PasswdEntry::identity)
          .containsExactly("ipgw@" + two.domain());
      try (var files = Files.list(gateway.paths().agentPem().getParent())) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("agent.pem", "cafile.pem");
      }
    }
  }

  @Test
  void files_are_rewritten_from_the_store_at_start_up() throws IOException {
    String owner = Actors.newUser(portal, "owner", "password1");
    try (TestGateway gateway = new TestGateway(dir)) {
      gateway.pair(portal, owner, "password1");
      B2bConf paired = B2bConf.parse(Files.readString(gateway.paths().b2bConf()));
      assertThat(paired.ringTimeout()).isEqualTo(B2bConf.DEFAULT_RING_TIMEOUT);
      assertThat(paired.maxCallDuration()).isEqualTo(B2bConf.DEFAULT_MAX_CALL_DURATION);
      // the owner tunes the b2b's call timers and turns its management listener on: not in the
      // store, kept by the rewrite
      Files.writeString(
          gateway.paths().b2bConf(),
          paired
              .withTimers(Duration.ofSeconds(20), Duration.ofMinutes(10))
              .withManagement(java.util.Optional.of("127.0.0.1:9467"))
              .render());
      String passwd = Files.readString(gateway.paths().passwdFile());
      Files.writeString(gateway.paths().passwdFile(), "version:1\nhalf-writ");
      Files.delete(gateway.paths().aclList());
      gateway.reopen();
      assertThat(gateway.fileSync().writeAll()).isTrue();
      assertThat(gateway.paths().passwdFile()).hasContent(passwd.strip());
      assertThat(gateway.paths().aclList()).exists();
      B2bConf rewritten = B2bConf.parse(Files.readString(gateway.paths().b2bConf()));
      assertThat(rewritten.ringTimeout()).isEqualTo(Duration.ofSeconds(20));
      assertThat(rewritten.maxCallDuration()).isEqualTo(Duration.ofMinutes(10));
      assertThat(rewritten.management()).contains("127.0.0.1:9467");
      assertThat(rewritten.password().reveal()).isEqualTo(paired.password().reveal());
      // a b2b.conf that does not read gets the defaults again
      Files.writeString(gateway.paths().b2bConf(), "[b2b]\nring-timeout=0\n");
      assertThat(gateway.fileSync().writeAll()).isTrue();
      assertThat(B2bConf.parse(Files.readString(gateway.paths().b2bConf())).ringTimeout())
          .isEqualTo(B2bConf.DEFAULT_RING_TIMEOUT);
    }
  }

  private static Supplier<String> sequence(String... domains) {
    ArrayDeque<String> queue = new ArrayDeque<>(List.of(domains));
    return queue::remove;
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
