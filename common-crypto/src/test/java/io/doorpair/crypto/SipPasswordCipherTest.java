package io.doorpair.crypto;

import static io.doorpair.crypto.CertificateRequestTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SipPasswordCipherTest {
  private static final KeyPair APP = TestPki.pooledKey(7);
  private static final SipPassword PASSWORD = SipPassword.of("Ab3dEf6hIj9kLm2nOp5qRs8t");

  @Test
  void round_trips_with_standard_padded_base64_of_modulus_length() {
    String ciphertext = SipPasswordCipher.encrypt(PASSWORD, APP.getPublic());
    assertThat(ciphertext).matches("[A-Za-z0-9+/]+={0,2}").hasSize(344);
    assertThat(Base64.getDecoder().decode(ciphertext)).hasSize(256);
    assertThat(SipPasswordCipher.decrypt(ciphertext, APP.getPrivate())).isEqualTo(PASSWORD);
  }

  @Test
  void encryption_is_randomized() {
    SecureRandom random = new SecureRandom();
    assertThat(SipPasswordCipher.encrypt(PASSWORD, APP.getPublic(), random))
        .isNotEqualTo(SipPasswordCipher.encrypt(PASSWORD, APP.getPublic(), random));
  }

  @Test
  void another_key_cannot_decrypt() {
    String ciphertext = SipPasswordCipher.encrypt(PASSWORD, APP.getPublic());
    assertUndecryptable(ciphertext, TestPki.pooledKey(6));
  }

  @Test
  void tampered_ciphertext_cannot_be_decrypted() {
    byte[] bytes = Base64.getDecoder().decode(SipPasswordCipher.encrypt(PASSWORD, APP.getPublic()));
    bytes[100] ^= 0x01;
    assertUndecryptable(Base64.getEncoder().encodeToString(bytes), APP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not base64!", "AAAA", "QUJD", "QUJDRA"})
  void malformed_ciphertext_gets_the_same_message(String ciphertext) {
    assertUndecryptable(ciphertext, APP);
  }

  @Test
  void unpadded_or_wrapped_base64_is_refused() {
    String ciphertext = SipPasswordCipher.encrypt(PASSWORD, APP.getPublic());
    assertUndecryptable(ciphertext.replace("=", ""), APP);
    assertUndecryptable(ciphertext.substring(0, 76) + "\n" + ciphertext.substring(76), APP);
  }

  @Test
  void ciphertext_of_a_non_password_is_refused() throws Exception {
    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE,
        APP.getPublic(),
        new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
    String spaces =
        Base64.getEncoder()
            .encodeToString(cipher.doFinal("has space".getBytes(StandardCharsets.US_ASCII)));
    assertUndecryptable(spaces, APP);
    String good =
        Base64.getEncoder()
            .encodeToString(cipher.doFinal("no-space".getBytes(StandardCharsets.US_ASCII)));
    assertThat(SipPasswordCipher.decrypt(good, APP.getPrivate()).reveal()).isEqualTo("no-space");
  }

  @Test
  void plausible_ciphertext_checks_base64_and_length_only() {
    String ciphertext = SipPasswordCipher.encrypt(PASSWORD, APP.getPublic());
    assertThat(SipPasswordCipher.plausibleCiphertext(ciphertext, APP.getPublic())).isTrue();
    assertThat(SipPasswordCipher.plausibleCiphertext("AAAA", APP.getPublic())).isFalse();
    assertThat(SipPasswordCipher.plausibleCiphertext("%%%%", APP.getPublic())).isFalse();
    assertThat(SipPasswordCipher.plausibleCiphertext(ciphertext + "AAAA", APP.getPublic()))
        .isFalse();
  }

  @Test
  void weak_or_foreign_recipients_are_refused() {
    assertRefused(
        () -> SipPasswordCipher.encrypt(PASSWORD, OddKeys.rsa1024().getPublic()),
        "weak_key",
        "RSA key of 1024 bits refused: 2048 to 4096 bits required");
    assertRefused(
        () -> SipPasswordCipher.encrypt(PASSWORD, OddKeys.ec().getPublic()),
        "unsupported_key",
        "unsupported key algorithm EC: only RSA keys are accepted");
    assertRefused(
        () -> SipPasswordCipher.plausibleCiphertext("AAAA", OddKeys.ec().getPublic()),
        "unsupported_key",
        "unsupported key algorithm EC: only RSA keys are accepted");
  }

  private static void assertUndecryptable(String ciphertext, KeyPair keys) {
    assertRefused(
        () -> SipPasswordCipher.decrypt(ciphertext, keys.getPrivate()),
        "bad_ciphertext",
        "SIP password ciphertext cannot be decrypted");
  }
}
