package io.doorpair.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublicKeyHashTest {
  @Test
  void certificate_and_its_key_hash_alike_in_lowercase_hex() {
    TestPki.Leaf leaf = TestPki.shared().issueClient("a@b", Optional.empty());
    String fromCert = PublicKeyHash.of(leaf.certificate());
    assertThat(fromCert).matches("[0-9a-f]{64}");
    assertThat(PublicKeyHash.of(leaf.keys().getPublic())).isEqualTo(fromCert);
    assertThat(PublicKeyHash.of(Pem.parsePublicKey(Pem.publicKey(leaf.keys().getPublic()))))
        .isEqualTo(fromCert);
  }

  @Test
  void different_keys_hash_differently() {
    assertThat(PublicKeyHash.of(TestPki.pooledKey(0).getPublic()))
        .isNotEqualTo(PublicKeyHash.of(TestPki.pooledKey(1).getPublic()));
  }
}
