package io.doorpair.crypto.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;

/** The response computation of RFC 7616 §3.4.1 for qop {@code auth}, and its check. */
public final class DigestMath {
  private DigestMath() {}

  /**
   * Computes {@code H(HA1:nonce:nc:cnonce:qop:H(method:uri))}.
   *
   * @param ha1 {@code H(username:realm:password)}
   * @param algorithm the hash; must be the one the HA1 was computed with
   * @param method the request method, e.g. {@code POST} (for SIP: {@code REGISTER}, ...)
   * @param uri the {@code uri} parameter, exactly as sent
   * @param nonce the server nonce
   * @param ncHex the nonce count, exactly as sent (8 hex digits)
   * @param cnonce the client nonce
   * @param qop {@code auth}, exactly as sent
   * @return the response in lowercase hex
   * @throws IllegalArgumentException {@code HA1 algorithm differs} when the HA1 was computed with
   *     another algorithm
   */
  public static String response(
      Ha1 ha1,
      DigestAlgorithm algorithm,
      String method,
      String uri,
      String nonce,
      String ncHex,
      String cnonce,
      String qop) {
    Objects.requireNonNull(ha1, "ha1");
    Objects.requireNonNull(algorithm, "algorithm");
    if (ha1.algorithm() != algorithm) {
      throw new IllegalArgumentException("HA1 algorithm differs");
    }
    String ha2 = algorithm.hashHex(method + ":" + uri);
    return algorithm.hashHex(
        ha1.hex() + ":" + nonce + ":" + ncHex + ":" + cnonce + ":" + qop + ":" + ha2);
  }

  /**
   * Checks credentials against the expected HA1, comparing the digests in constant time. It checks
   * the digest only: the caller checks realm, uri, nonce freshness and nonce count.
   *
   * @param ha1 the stored HA1 for the credentials' username, realm and algorithm
   * @param method the method of the request that carried the credentials
   * @param authorization the credentials
   * @return whether the response is the one the HA1 gives
   * @throws IllegalArgumentException {@code HA1 algorithm differs}
   */
  public static boolean verify(Ha1 ha1, String method, DigestAuthorization authorization) {
    String expected =
        response(
            ha1,
            authorization.algorithm(),
            method,
            authorization.uri(),
            authorization.nonce(),
            authorization.nc(),
            authorization.cnonce(),
            authorization.qop());
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        authorization.response().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }
}
