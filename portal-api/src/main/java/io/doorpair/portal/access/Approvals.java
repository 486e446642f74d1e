package io.doorpair.portal.access;

import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.ApprovedAccount;
import io.doorpair.welcome.api.ApproveRequest;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Checks what a gateway sends with an approval before anything is stored: the SIP username's shape,
 * that the GRUU is the one bound to the requesting certificate, and that the ciphertext is
 * plausible for the requesting certificate's RSA key (it cannot be decrypted here, by design).
 */
final class Approvals {
  private static final Pattern SIP_USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

  /** Longest ciphertext text: base64 of a 4096-bit modulus is 684 characters. */
  private static final int MAX_CIPHERTEXT_CHARS = 1024;

  private Approvals() {}

  /** The account to store, or a {@code 400} naming the first field that is wrong. */
  static ApprovedAccount check(
      AccessRequest request, ApproveRequest body, String portalDomain, PublicKey appKey) {
    if (!SIP_USERNAME.matcher(body.sipUsername()).matches()) {
      throw ApiException.badRequest(
          "bad_sip_username", "sip_username is 1-64 characters of A-Z, a-z, 0-9, '.', '_', '-'");
    }
    String expected =
        "sip:" + request.username() + "@" + portalDomain + ";gr=urn:uuid:" + request.instance();
    if (!expected.equals(body.gruu())) {
      throw ApiException.badRequest(
          "bad_gruu", "gruu must be the GRUU bound to the requesting certificate: " + expected);
    }
    if (!plausibleCiphertext(body.encryptedPassword(), appKey)) {
      throw ApiException.badRequest(
          "bad_ciphertext",
          "encrypted_password must be standard base64 of exactly the modulus length of the"
              + " requesting certificate's RSA key, below its modulus");
    }
    return new ApprovedAccount(body.sipUsername(), body.encryptedPassword(), body.gruu());
  }

  /**
   * True if {@code text} is canonical standard base64 (padded) of exactly as many bytes as the
   * key's modulus, whose value as an unsigned integer is below the modulus.
   */
  static boolean plausibleCiphertext(String text, PublicKey key) {
    if (!(key instanceof RSAPublicKey)) {
      return false;
    }
    BigInteger modulus = ((RSAPublicKey) key).getModulus();
    if (text.isEmpty()
        || text.length() > MAX_CIPHERTEXT_CHARS
        || text.length() % 4 != 0
        || !BASE64.matcher(text).matches()) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
      return false; // non-canonical (stray bits after the last byte)
    }
    int modulusBytes = (modulus.bitLength() + 7) / 8;
    return bytes.length == modulusBytes && new BigInteger(1, bytes).compareTo(modulus) < 0;
  }
}
