package io.doorpair.sipedge.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RevocationListTest {
  private static final TestPki PKI = TestPki.shared();
  private final RevocationList list = new RevocationList(List.of(PKI.caCertificate()));
  private final Leaf alice = PKI.issueClient("alice@portal.test", Optional.of(UUID.randomUUID()));
  private final Leaf bob = PKI.issueClient("bob@portal.test", Optional.of(UUID.randomUUID()));

  @Test
  void nothing_is_revoked_before_a_crl() {
    assertThat(list.isRevoked(alice.certificate())).isFalse();
  }

  @Test
  void lists_what_the_crl_lists() {
    list.update(PKI.crl(alice.serial()));
    assertThat(list.isRevoked(alice.certificate())).isTrue();
    assertThat(list.isRevoked(bob.certificate())).isFalse();
  }

  @Test
  void refuses_a_crl_not_signed_by_the_ca() {
    assertThatThrownBy(() -> list.update(PKI.rogueCrl(bob.serial())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the CRL is not signed by the portal CA");
    assertThat(list.isRevoked(bob.certificate())).isFalse();
  }

  @Test
  void refuses_to_roll_back_to_an_older_crl() {
    Instant now = Instant.now();
    list.update(PKI.crl(List.of(alice.serial()), now, now.plus(Duration.ofDays(1))));
    assertThatThrownBy(
            () ->
                list.update(
                    PKI.crl(
                        List.of(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the CRL is older than the current one");
    assertThat(list.isRevoked(alice.certificate())).isTrue();
  }

  @Test
  void a_certificate_of_another_issuer_is_not_matched_by_serial_alone() {
    list.update(PKI.crl(alice.serial()));
    Leaf rogue = PKI.issueRogueClient("mallory@portal.test", Optional.empty());
    // same issuer name as the CA (a look-alike) but a different serial: not listed
    assertThat(list.isRevoked(rogue.certificate())).isFalse();
  }

  @Test
  void during_a_ca_rotation_each_ca_has_its_own_crl() {
    TestPki next = TestPki.create("RevocationListTest next CA");
    RevocationList both = new RevocationList(List.of(next.caCertificate(), PKI.caCertificate()));
    Leaf carol = next.issueClient("carol@portal.test", Optional.of(UUID.randomUUID()));
    both.update(PKI.crl(alice.serial()));
    both.update(next.crl(carol.serial()));
    assertThat(both.isRevoked(alice.certificate())).as("old CA's CRL still honoured").isTrue();
    assertThat(both.isRevoked(carol.certificate())).isTrue();
    assertThat(both.isRevoked(bob.certificate())).isFalse();
  }
}
