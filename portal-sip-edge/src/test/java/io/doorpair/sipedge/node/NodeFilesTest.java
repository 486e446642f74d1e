package io.doorpair.sipedge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeFilesTest {
  private static final TestPki PKI = TestPki.shared();
  @TempDir Path dir;
  private Path ca;
  private Path cert;
  private Path key;
  private Path crl;
  private Leaf node;

  @BeforeEach
  void files() throws IOException {
    node = PKI.issueServer("127.0.0.1");
    ca = write("ca.pem", PKI.caPem(), "rw-r--r--");
    cert = write("node.pem", node.certificatePem(), "rw-r--r--");
    key = write("node-key.pem", node.privateKeyPem(), "rw-------");
    crl = write("crl.pem", Pem.crl(PKI.crl()), "rw-r--r--");
  }

  private Path write(String name, String content, String mode) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private NodeFiles.Material load() {
    return NodeFiles.load(ca, cert, key, crl, Instant.now());
  }

  @Test
  void good_files_load() {
    NodeFiles.Material material = load();
    assertThat(material.chain().get(0)).isEqualTo(node.certificate());
    assertThat(material.caCertificates()).containsExactly(PKI.caCertificate());
    assertThat(material.toString()).contains("key=(redacted)");
  }

  @Test
  void missing_file_is_named() {
    Path gone = dir.resolve("nope.pem");
    assertThatThrownBy(() -> NodeFiles.load(gone, cert, key, crl, Instant.now()))
        .hasMessage("--ca " + gone + ": no such file");
    assertThatThrownBy(() -> NodeFiles.load(ca, cert, gone, crl, Instant.now()))
        .hasMessage("--key " + gone + ": no such file");
    assertThatThrownBy(() -> NodeFiles.load(ca, cert, key, gone, Instant.now()))
        .hasMessage("--crl " + gone + ": no such file");
  }

  @Test
  void malformed_files_are_named() throws IOException {
    write("node.pem", "not a certificate", "rw-r--r--");
    assertThatThrownBy(this::load)
        .hasMessageStartingWith("--cert " + cert + ": not a PEM certificate");
    files();
    write("crl.pem", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", "rw-r--r--");
    assertThatThrownBy(this::load).hasMessage("--crl " + crl + ": not a PEM or DER X.509 CRL");
    files();
    write("node-key.pem", node.certificatePem(), "rw-------");
    assertThatThrownBy(this::load)
        .hasMessageStartingWith("--key " + key + ": not an unencrypted RSA private key");
  }

  @Test
  void key_readable_by_group_or_others_is_refused() throws IOException {
    write("node-key.pem", node.privateKeyPem(), "rw-r-----");
    assertThatThrownBy(this::load)
        .hasMessage("--key " + key + ": readable by group or others (mode 0640); chmod 600 it");
    write("node-key.pem", node.privateKeyPem(), "rw----r--");
    assertThatThrownBy(this::load).hasMessageContaining("(mode 0604)");
  }

  @Test
  void key_of_another_certificate_is_refused() throws IOException {
    write("node-key.pem", PKI.issueServer("127.0.0.1").privateKeyPem(), "rw-------");
    assertThatThrownBy(this::load)
        .hasMessage("--key " + key + ": does not match the certificate in --cert " + cert);
  }

  @Test
  void certificate_of_another_ca_is_refused() throws IOException {
    Leaf rogue = PKI.issueRogueClient("node.example", Optional.empty());
    write("node.pem", rogue.certificatePem(), "rw-r--r--");
    write("node-key.pem", rogue.privateKeyPem(), "rw-------");
    assertThatThrownBy(this::load)
        .hasMessage("--cert " + cert + ": not issued by the CA in --ca " + ca);
  }

  @Test
  void expired_certificate_is_refused() {
    assertThatThrownBy(
            () -> NodeFiles.load(ca, cert, key, crl, Instant.now().plusSeconds(400L * 86400)))
        .hasMessageStartingWith("--cert " + cert + ": expired on ");
  }

  @Test
  void crl_of_another_ca_is_refused() throws IOException {
    write("crl.pem", Pem.crl(PKI.rogueCrl()), "rw-r--r--");
    assertThatThrownBy(this::load)
        .hasMessage("--crl " + crl + ": not signed by the CA in --ca " + ca);
  }

  @Test
  void a_ca_bundle_needs_distinct_names_at_most_two_cas_and_a_crl_each() throws IOException {
    TestPki next = TestPki.create("doorpair test CA next");
    Path bundle = write("bundle.pem", next.caPem() + PKI.caPem(), "rw-r--r--");
    Path nextCrl = write("crl-next.pem", Pem.crl(next.crl()), "rw-r--r--");
    NodeFiles.Material material =
        NodeFiles.load(bundle, cert, key, List.of(nextCrl, crl), Instant.now());
    assertThat(material.caCertificates())
        .containsExactly(next.caCertificate(), PKI.caCertificate());
    assertThat(material.crls()).hasSize(2);

    assertThatThrownBy(() -> NodeFiles.load(bundle, cert, key, List.of(nextCrl), Instant.now()))
        .hasMessageStartingWith(
            "--ca "
                + bundle
                + ": no --crl for the CA "
                + PKI.caCertificate().getSubjectX500Principal().getName());
    Path three =
        write(
            "three.pem", next.caPem() + PKI.caPem() + TestPki.create("third").caPem(), "rw-r--r--");
    assertThatThrownBy(() -> NodeFiles.load(three, cert, key, List.of(nextCrl, crl), Instant.now()))
        .hasMessage(
            "--ca " + three + ": holds 3 certificates; one CA, or two during a CA rotation");
    Path twins =
        write("twins.pem", PKI.caPem() + TestPki.create("doorpair test CA").caPem(), "rw-r--r--");
    assertThatThrownBy(() -> NodeFiles.load(twins, cert, key, List.of(crl), Instant.now()))
        .hasMessage("--ca " + twins + ": its two CA certificates have the same name");
  }
}
