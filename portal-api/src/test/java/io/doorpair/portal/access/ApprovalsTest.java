package io.doorpair.portal.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.crypto.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ApprovalsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final KeyPair keys = TestPki.pooledKey(0);
  private final BigInteger modulus = ((RSAPublicKey) keys.getPublic()).getModulus();

  @Test
  void a_real_oaep_ciphertext_is_plausible() {
    for (int i = 0; i < 20; i++) {
      String ciphertext =
          SipPasswordCipher.encrypt(SipPassword.generate(RANDOM), keys.getPublic(), RANDOM);
      assertThat(Approvals.plausibleCiphertext(ciphertext, keys.getPublic())).isTrue();
    }
  }

  @Test
  void a_value_at_or_above_the_modulus_is_not() {
    assertThat(plausible(modulus)).isFalse();
    assertThat(plausible(modulus.add(BigInteger.ONE))).isFalse();
    assertThat(plausible(modulus.subtract(BigInteger.ONE))).isTrue();
    assertThat(plausible(BigInteger.ZERO)).isTrue();
  }

  @Test
  void non_canonical_or_unpadded_base64_is_not() {
    String ciphertext =
        SipPasswordCipher.encrypt(SipPassword.generate(RANDOM), keys.getPublic(), RANDOM);
    // 256 bytes: base64 ends with "==", and the last character before them has 4 unused bits.
    int padding = ciphertext.indexOf('=');
    assertThat(padding).isEqualTo(ciphertext.length() - 2);
    char last = ciphertext.charAt(padding - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char stray = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    String nonCanonical = ciphertext.substring(0, padding - 1) + stray + "==";
    assertThat(Approvals.plausibleCiphertext(nonCanonical, keys.getPublic())).isFalse();
    assertThat(Approvals.plausibleCiphertext(ciphertext.replace("=", ""), keys.getPublic()))
        .isFalse();
  }

  private boolean plausible(BigInteger value) {
    byte[] fixed = new byte[(modulus.bitLength() + 7) / 8];
    byte[] raw = value.toByteArray();
    int copy = Math.min(raw.length, fixed.length);
    System.arraycopy(raw, raw.length - copy, fixed, fixed.length - copy, copy);
    if (value.bitLength() > fixed.length * 8) {
      return false;
    }
    return Approvals.plausibleCiphertext(
        Base64.getEncoder().encodeToString(fixed), keys.getPublic());
  }
}
