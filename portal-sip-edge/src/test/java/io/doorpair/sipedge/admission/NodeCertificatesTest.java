package io.doorpair.sipedge.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NodeCertificatesTest {
  private static final TestPki PKI = TestPki.shared();

  @Test
  void only_a_certificate_with_server_and_client_auth_and_no_user_is_a_node() {
    assertThat(
            NodeCertificates.isNode(PKI.issueNode("sip1.example.com", "127.0.0.1").certificate()))
        .isTrue();
    assertThat(NodeCertificates.isNode(PKI.issueServer("portal.example.com").certificate()))
        .as("the portal's HTTPS certificate")
        .isFalse();
    assertThat(
            NodeCertificates.isNode(
                PKI.issueClient("alice@portal.test", Optional.of(UUID.randomUUID())).certificate()))
        .as("an app")
        .isFalse();
    assertThat(
            NodeCertificates.isNode(
                PKI.issueClient("ipgw@abcdefghijkl", Optional.empty()).certificate()))
        .as("a gateway")
        .isFalse();
    assertThat(NodeCertificates.isNode(PKI.issueNode("ipgw@abcdefghijkl").certificate()))
        .as("a CN with @, whatever its purposes")
        .isFalse();
    assertThat(NodeCertificates.isNode(PKI.caCertificate())).as("the CA").isFalse();
  }

  @Test
  void fingerprint_is_lowercase_hex_sha256_and_differs_per_certificate() {
    String a = NodeCertificates.fingerprint(PKI.issueNode("sip1.example.com").certificate());
    String b = NodeCertificates.fingerprint(PKI.issueNode("sip1.example.com").certificate());
    assertThat(a).matches("[0-9a-f]{64}").isNotEqualTo(b);
  }
}
