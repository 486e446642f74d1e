package io.doorpair.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RsaKeysTest {
  @Test
  void generates_2048_bit_keys_with_exponent_65537() {
    KeyPair keys = RsaKeys.generate(2048, new SecureRandom());
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    assertThat(pub.getModulus().bitLength()).isEqualTo(2048);
    assertThat(pub.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
    assertThatCode(() -> RsaKeys.requireAcceptable(pub)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1024, 2047, 4097, 8192})
  void refuses_to_generate_sizes_out_of_range(int bits) {
    assertThatThrownBy(() -> RsaKeys.generate(bits))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RSA key size must be between 2048 and 4096 bits: " + bits);
  }

  @Test
  void accepts_pooled_test_keys() {
    assertThatCode(() -> RsaKeys.requireAcceptable(TestPki.pooledKey(0).getPublic()))
        .doesNotThrowAnyException();
  }

  @Test
  void accepts_4096_bit_modulus() {
    assertThatCode(() -> RsaKeys.requireAcceptable(OddKeys.rsaPublicOfBits(4096)))
        .doesNotThrowAnyException();
  }

  @Test
  void ec_key_is_unsupported() {
    assertRefused(
        OddKeys.ec().getPublic(),
        "unsupported_key",
        "unsupported key algorithm EC: only RSA keys are accepted");
  }

  @Test
  void ed25519_key_is_unsupported() {
    assertRefused(
        OddKeys.ed25519().getPublic(),
        "unsupported_key",
        "unsupported key algorithm Ed25519: only RSA keys are accepted");
  }

  @Test
  void rsa_1024_is_weak() {
    assertRefused(
        OddKeys.rsa1024().getPublic(),
        "weak_key",
        "RSA key of 1024 bits refused: 2048 to 4096 bits required");
  }

  @Test
  void rsa_over_4096_is_refused() {
    assertRefused(
        OddKeys.rsaPublicOfBits(4097),
        "weak_key",
        "RSA key of 4097 bits refused: 2048 to 4096 bits required");
  }

  @Test
  void exponent_3_is_weak() {
    assertRefused(
        OddKeys.rsaExponent3().getPublic(),
        "weak_key",
        "RSA public exponent 3 refused: 65537 required");
  }

  private static void assertRefused(PublicKey key, String code, String message) {
    assertThatThrownBy(() -> RsaKeys.requireAcceptable(key))
        .isInstanceOfSatisfying(CryptoException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessage(message);
  }
}
