package io.doorpair.ipgw.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.welcome.api.ChannelRequest;
import io.doorpair.welcome.api.RequestStatus;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A request from the channel is shown only if its certificate is the portal's, RSA, and agrees with
 * every field sent alongside; the hash is computed from the certificate.
 */
class RequestCertificatesTest {
  private static final TestPki PKI = TestPki.shared();
  private static final UUID DEVICE = UUID.randomUUID();
  private static final String CN = "alice@portal.localhost";
  private static final String URN = "urn:uuid:" + DEVICE;
  private static final String GRUU = "sip:" + CN + ";gr=" + URN;

  private final RequestCertificates checks = new RequestCertificates(PKI.caCertificate());

  @Test
  void a_good_request_gives_the_hash_of_its_certificate() throws RequestRefusedException {
    TestPki.Leaf leaf = PKI.issueClient(CN, Optional.of(DEVICE));
    assertThat(checks.check(request(leaf.certificatePem()), Instant.now()))
        .isEqualTo(PublicKeyHash.of(leaf.certificate()));
  }

  @Test
  void a_certificate_of_a_rogue_ca_is_refused() {
    refused(
        request(PKI.issueRogueClient(CN, Optional.of(DEVICE)).certificatePem()),
        "certificate is not signed by the portal CA");
  }

  @Test
  void a_self_signed_certificate_is_refused() {
    refused(
        request(PKI.selfSignedClient(CN, Optional.of(DEVICE)).certificatePem()),
        "certificate is not signed by the portal CA");
  }

  @Test
  void an_expired_certificate_is_refused() {
    refused(
        request(PKI.expiredClient(CN, Optional.of(DEVICE)).certificatePem()),
        "certificate is not valid now");
  }

  @Test
  void a_key_that_is_not_rsa_is_refused() throws NoSuchAlgorithmException {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    KeyPair keys = ec.generateKeyPair();
    TestPki.Leaf leaf = PKI.issueClient(CN, Optional.of(DEVICE), keys);
    assertThatThrownBy(() -> checks.check(request(leaf.certificatePem()), Instant.now()))
        .isInstanceOf(RequestRefusedException.class)
        .hasMessageStartingWith("certificate key refused: ");
  }

  @Test
  void fields_that_disagree_with_the_certificate_are_refused() {
    String pem = PKI.issueClient(CN, Optional.of(DEVICE)).certificatePem();
    String other = "urn:uuid:" + UUID.randomUUID();
    refused(
        new ChannelRequest(1, "mallory", "x", URN, GRUU, pem, Instant.now(), RequestStatus.PENDING),
        "certificate is not the requesting user's");
    refused(
        new ChannelRequest(1, "alice", "x", other, GRUU, pem, Instant.now(), RequestStatus.PENDING),
        "device instance differs from the certificate's");
    refused(
        new ChannelRequest(
            1,
            "alice",
            "x",
            URN,
            "sip:alice@portal.localhost;gr=" + other,
            pem,
            Instant.now(),
            RequestStatus.PENDING),
        "GRUU differs from the certificate's");
    refused(
        new ChannelRequest(
            1, "alice", "bad\nname", URN, GRUU, pem, Instant.now(), RequestStatus.PENDING),
        "friendly name is not 1-64 printable characters");
  }

  @Test
  void a_certificate_without_a_device_or_of_a_gateway_is_refused() {
    refused(
        request(PKI.issueClient(CN, Optional.empty()).certificatePem()),
        "certificate binds no device");
    refused(
        request(PKI.issueClient("ipgw@abcdefabcdef", Optional.of(DEVICE)).certificatePem()),
        "a gateway certificate cannot request an account");
  }

  @Test
  void garbage_and_usernames_that_break_files_are_refused() {
    refused(request("not a certificate"), "certificate is not one PEM certificate");
    String pem = PKI.issueClient("al ice@portal.localhost", Optional.of(DEVICE)).certificatePem();
    assertThatThrownBy(
            () ->
                checks.check(
                    new ChannelRequest(
                        1, "al ice", "x", URN, GRUU, pem, Instant.now(), RequestStatus.PENDING),
                    Instant.now()))
        .isInstanceOf(RequestRefusedException.class)
        .hasMessageStartingWith("username refused: ");
  }

  private void refused(ChannelRequest request, String message) {
    assertThatThrownBy(() -> checks.check(request, Instant.now()))
        .isInstanceOf(RequestRefusedException.class)
        .hasMessage(message);
  }

  private static ChannelRequest request(String pem) {
    return new ChannelRequest(
        1, "alice", "Alice's phone", URN, GRUU, pem, Instant.now(), RequestStatus.PENDING);
  }
}
