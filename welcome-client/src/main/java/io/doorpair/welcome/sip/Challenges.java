package io.doorpair.welcome.sip;

import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.DigestFormatException;
import io.doorpair.crypto.digest.Ha1;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * Answers the b2b's digest challenge (RFC 3261 §22 with RFC 7616, {@code qop=auth}) with a gateway
 * account: only a challenge whose realm is the account's gateway DOMAIN is answered (the phone
 * never answers a realm it has no account for), SHA-256 preferred over MD5. The password is used
 * only to compute the HA1 here and is never logged.
 */
final class Challenges {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Challenges() {}

  /**
   * The credentials for a challenged request, if the challenge is one to answer.
   *
   * @param headerValues the {@code WWW-Authenticate} or {@code Proxy-Authenticate} values
   * @param credentials the account at the gateway
   * @param method the method of the request to send again
   * @param uri its Request-URI as it will be sent
   * @return the {@code Authorization} / {@code Proxy-Authorization} value, or empty when no
   *     challenge is for the account's realm or none parses
   */
  static Optional<String> answer(
      List<String> headerValues, GatewayCredentials credentials, String method, String uri) {
    List<DigestChallenge> challenges;
    try {
      challenges = DigestChallenge.parseAll(headerValues);
    } catch (DigestFormatException e) {
      return Optional.empty();
    }
    Optional<DigestChallenge> chosen =
        challenges.stream()
            .filter(c -> c.realm().equalsIgnoreCase(credentials.domain()))
            .filter(c -> c.algorithm() == DigestAlgorithm.SHA_256)
            .findFirst()
            .or(
                () ->
                    challenges.stream()
                        .filter(c -> c.realm().equalsIgnoreCase(credentials.domain()))
                        .findFirst());
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    DigestChallenge challenge = chosen.get();
    char[] password = credentials.password().reveal().toCharArray();
    Ha1 ha1;
    try {
      ha1 = Ha1.compute(challenge.algorithm(), credentials.username(), challenge.realm(), password);
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
    byte[] cnonce = new byte[12];
    RANDOM.nextBytes(cnonce);
    return Optional.of(
        DigestAuthorization.answer(
                challenge, credentials.username(), ha1, method, uri, hex(cnonce), 1)
            .toHeaderValue());
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  /**
   * Whether any of the challenges says the last nonce was merely stale (the credentials were good).
   *
   * @param headerValues the challenge header values
   * @return true when one has {@code stale=true}
   */
  static boolean stale(List<String> headerValues) {
    try {
      return DigestChallenge.parseAll(headerValues).stream().anyMatch(DigestChallenge::stale);
    } catch (DigestFormatException e) {
      return false;
    }
  }
}
