package io.doorpair.portal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CaKeyring;
import io.doorpair.ca.CaRotation;
import io.doorpair.ca.CaSettings;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.crypto.Pem;
import io.doorpair.sipedge.node.NodeFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portal sip-node-cert}: the files it writes are what {@code portal-sip serve} accepts. */
class SipNodeCertCommandTest {
  @TempDir static Path shared;
  @TempDir Path empty;
  @TempDir Path out;
  private static CertificateAuthority ca;

  /** One CA for the tests that need one (a 2048-bit key: quicker to make). */
  private static synchronized Path withCa() {
    Path data = shared.resolve("data");
    if (ca == null) {
      ca =
          CaKeyFiles.loadOrCreate(
              data, CaSettings.defaults().withKeyBits(2048), Clock.systemUTC(), new SecureRandom());
    }
    return data;
  }

  private record Run(int exit, String out, String err) {}

  private static Run portal(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int exit = PortalCommand.run(args);
      return new Run(
          exit,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void issues_files_that_a_sip_node_accepts() throws Exception {
    Path data = withCa();
    Instant now = Instant.now();
    Path crl = data.resolve("crl.pem");
    Files.writeString(
        crl, Pem.crl(ca.crl(List.of(), BigInteger.ONE, now, now.plus(Duration.ofDays(1)))));

    Run run =
        portal(
            "sip-node-cert",
            "--data=" + data,
            "--name=sip1.example.com",
            "--name=127.0.0.1",
            "--out=" + out);

    assertThat(run.exit()).as(run.err()).isZero();
    Path key = out.resolve("sip-node-key.pem");
    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(run.out()).contains("bin/portal-sip serve --ca " + out.resolve("ca.pem"));
    NodeFiles.Material material =
        NodeFiles.load(out.resolve("ca.pem"), out.resolve("sip-node.pem"), key, crl, now);
    assertThat(material.chain().get(0).getSubjectX500Principal().getName())
        .contains("CN=sip1.example.com");
    assertThat(material.chain().get(0).getSubjectAlternativeNames())
        .extracting(san -> String.valueOf(san.get(1)))
        .contains("sip1.example.com", "127.0.0.1");
    // serverAuth and clientAuth: a node dials the other nodes with mutual TLS
    assertThat(material.chain().get(0).getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
  }

  @Test
  void without_a_ca_it_fails_and_creates_none() {
    Path data = empty;
    Run run = portal("sip-node-cert", "--data=" + data, "--name=sip1.example.com", "--out=" + out);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("portal: no portal CA in " + data);
    assertThat(data.resolve("ca.pem")).doesNotExist();
  }

  @Test
  void a_bad_name_fails() throws Exception {
    Path data = withCa();
    Run run = portal("sip-node-cert", "--data=" + data, "--name=not a name", "--out=" + out);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("not a DNS name");
    assertThat(out.resolve("sip-node-key.pem")).doesNotExist();
  }

  @Test
  void during_a_ca_rotation_writes_both_cas_and_names_both_crls() throws Exception {
    Path data = empty.resolve("rotating");
    CaSettings settings = CaSettings.defaults().withKeyBits(2048);
    SecureRandom random = new SecureRandom();
    CaKeyFiles.loadOrCreate(data, settings, Clock.systemUTC(), random);
    CaRotation.rotate(data, settings, Clock.systemUTC(), random);
    CaKeyring ring = CaKeyFiles.loadKeyring(data, settings, Clock.systemUTC(), random);
    assertThat(ring.previous()).isPresent();
    Instant now = Instant.now();
    Path crl = data.resolve("crl.pem");
    Path crlPrevious = data.resolve("crl-previous.pem");
    Files.writeString(
        crl,
        Pem.crl(ring.current().crl(List.of(), BigInteger.ONE, now, now.plus(Duration.ofDays(1)))));
    Files.writeString(
        crlPrevious,
        Pem.crl(
            ring.previous()
                .orElseThrow()
                .crl(List.of(), BigInteger.ONE, now, now.plus(Duration.ofDays(1)))));

    Run run = portal("sip-node-cert", "--data=" + data, "--name=127.0.0.1", "--out=" + out);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains(" --crl " + crl + " --crl " + crlPrevious);
    List<java.security.cert.X509Certificate> bundle =
        Pem.parseCertificates(Files.readString(out.resolve("ca.pem")));
    assertThat(bundle).containsExactlyElementsOf(ring.trustAnchors());
    Path key = out.resolve("sip-node-key.pem");
    NodeFiles.Material material =
        NodeFiles.load(
            out.resolve("ca.pem"),
            out.resolve("sip-node.pem"),
            key,
            List.of(crl, crlPrevious),
            now);
    assertThat(material.chain().get(0).getIssuerX500Principal())
        .as("issued by the new CA")
        .isEqualTo(ring.current().certificate().getSubjectX500Principal());
    assertThat(material.caCertificates()).hasSize(2);
    // the node refuses to start with the bundle and one CRL only
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NodeFiles.load(out.resolve("ca.pem"), out.resolve("sip-node.pem"), key, crl, now))
        .hasMessageContaining("no --crl for the CA");
  }
}
