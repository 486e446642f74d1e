package io.doorpair.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.PairingVectors;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Reproduces shared/testvectors/pairing-vectors.json exactly (DESIGN §5). */
class PairingVectorsTest {
  private static final PairingVectors VECTORS = PairingVectors.load();

  @Test
  void vectors_are_loaded() {
    assertThat(VECTORS.securityCodes()).hasSize(4);
    assertThat(VECTORS.publicKeyHash()).hasSize(64);
  }

  @Test
  void public_key_hash_of_the_certificate() {
    assertThat(PublicKeyHash.of(VECTORS.certificate())).isEqualTo(VECTORS.publicKeyHash());
  }

  @Test
  void public_key_hash_of_the_public_key() {
    assertThat(PublicKeyHash.of(VECTORS.certificate().getPublicKey()))
        .isEqualTo(VECTORS.publicKeyHash());
  }

  @TestFactory
  Iterable<DynamicTest> security_codes() {
    return VECTORS.securityCodes().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    "salt " + c.salt(),
                    () -> {
                      assertThat(c.innerInput())
                          .isEqualTo(c.salt() + ":" + VECTORS.publicKeyHash());
                      byte[] digest =
                          MessageDigest.getInstance("SHA-256")
                              .digest(c.innerInput().getBytes(StandardCharsets.US_ASCII));
                      assertThat(HexFormat.of().formatHex(digest)).isEqualTo(c.outerSha256Hex());
                      SecurityCode code = SecurityCode.of(c.salt(), VECTORS.publicKeyHash());
                      assertThat(code.value()).isEqualTo(c.securityCode());
                      assertThat(code.salt()).isEqualTo(c.salt());
                      assertThat(SecurityCode.matches(c.securityCode(), VECTORS.publicKeyHash()))
                          .isTrue();
                    }))
        .toList();
  }

  @Test
  void ciphertext_decrypts_to_the_plaintext_with_app_key() {
    SipPassword password =
        SipPasswordCipher.decrypt(VECTORS.ciphertextBase64(), VECTORS.privateKey());
    assertThat(password.reveal()).isEqualTo(VECTORS.plaintext());
  }

  @Test
  void ciphertext_is_plausible_for_the_certificate_key() {
    assertThat(
            SipPasswordCipher.plausibleCiphertext(
                VECTORS.ciphertextBase64(), VECTORS.certificate().getPublicKey()))
        .isTrue();
  }

  @Test
  void encryption_to_the_vector_key_round_trips() {
    KeyPair keys = new KeyPair(VECTORS.certificate().getPublicKey(), VECTORS.privateKey());
    SipPassword password = SipPassword.of(VECTORS.plaintext());
    String ciphertext = SipPasswordCipher.encrypt(password, keys.getPublic(), new SecureRandom());
    assertThat(SipPasswordCipher.decrypt(ciphertext, keys.getPrivate())).isEqualTo(password);
  }
}
