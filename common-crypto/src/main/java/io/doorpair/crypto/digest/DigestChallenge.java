package io.doorpair.crypto.digest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One Digest challenge of a {@code WWW-Authenticate} header (RFC 7616 §3.3), as this package
 * supports it: qop {@code auth}, algorithm MD5 or SHA-256.
 *
 * @param realm the protection space, shown to users; may be empty
 * @param nonce server-chosen, not empty
 * @param opaque returned unchanged by the client, when present
 * @param algorithm the hash to answer with
 * @param qop always {@code auth}
 * @param stale true when the previous request had a good digest but an expired nonce
 */
public record DigestChallenge(
    String realm,
    String nonce,
    Optional<String> opaque,
    DigestAlgorithm algorithm,
    String qop,
    boolean stale) {

  /** The only quality of protection supported. */
  public static final String QOP_AUTH = "auth";

  /**
   * Validates the components.
   *
   * @throws DigestFormatException when a value is too long, empty where it may not be, has a
   *     control character, or qop is not {@code auth}
   */
  public DigestChallenge {
    DigestParams.checkValue("realm", realm, true);
    DigestParams.checkValue("nonce", nonce, false);
    Objects.requireNonNull(opaque, "opaque");
    opaque.ifPresent(o -> DigestParams.checkValue("opaque", o, true));
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(qop, "qop");
    if (!QOP_AUTH.equals(qop)) {
      throw new DigestFormatException("unsupported qop");
    }
  }

  /**
   * A challenge without opaque, with qop {@code auth}.
   *
   * @param realm the realm
   * @param nonce the nonce
   * @param algorithm the algorithm
   * @param stale whether to say {@code stale=true}
   * @return the challenge
   */
  public static DigestChallenge of(
      String realm, String nonce, DigestAlgorithm algorithm, boolean stale) {
    return new DigestChallenge(realm, nonce, Optional.empty(), algorithm, QOP_AUTH, stale);
  }

  /**
   * Renders the challenge, e.g. {@code Digest realm="doorpair", qop="auth", algorithm=SHA-256,
   * nonce="...", opaque="...", stale=true}; opaque and stale only when present and true.
   *
   * @return the header value
   */
  public String toHeaderValue() {
    StringBuilder sb = new StringBuilder("Digest realm=").append(AuthHeaderSyntax.quote(realm));
    sb.append(", qop=\"").append(qop).append('"');
    sb.append(", algorithm=").append(algorithm.token());
    sb.append(", nonce=").append(AuthHeaderSyntax.quote(nonce));
    opaque.ifPresent(o -> sb.append(", opaque=").append(AuthHeaderSyntax.quote(o)));
    if (stale) {
      sb.append(", stale=true");
    }
    return sb.toString();
  }

  /**
   * Reads the Digest challenges of one {@code WWW-Authenticate} value, in order. Challenges of
   * other schemes are skipped, and so are Digest challenges this package cannot answer: without
   * realm or nonce, without qop {@code auth}, or with another algorithm (the {@code -sess} variants
   * included).
   *
   * @param headerValue one header value, possibly holding several challenges
   * @return the usable Digest challenges, possibly none
   * @throws DigestFormatException when the value is longer than 4 KiB, breaks the header syntax, or
   *     a Digest challenge has a duplicate parameter, a value longer than 1 KiB or a control
   *     character
   */
  public static List<DigestChallenge> parseAll(String headerValue) {
    Objects.requireNonNull(headerValue, "headerValue");
    List<DigestChallenge> out = new ArrayList<>();
    for (AuthHeaderSyntax.Section section : AuthHeaderSyntax.challenges(headerValue)) {
      if (!section.scheme().equalsIgnoreCase("Digest") || section.token68()) {
        continue;
      }
      DigestParams params = DigestParams.of(section.params());
      fromParams(params).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /**
   * Reads the Digest challenges of several {@code WWW-Authenticate} values, in order.
   *
   * @param headerValues the values, as a response carries them
   * @return the usable Digest challenges, possibly none
   * @throws DigestFormatException as {@link #parseAll(String)}
   */
  public static List<DigestChallenge> parseAll(List<String> headerValues) {
    List<DigestChallenge> out = new ArrayList<>();
    for (String value : headerValues) {
      out.addAll(parseAll(value));
    }
    return List.copyOf(out);
  }

  private static Optional<DigestChallenge> fromParams(DigestParams params) {
    Optional<String> realm = params.optional("realm");
    Optional<String> nonce = params.optional("nonce");
    Optional<String> qop = params.optional("qop");
    if (!realm.isPresent() || !nonce.isPresent() || nonce.get().isEmpty() || !qop.isPresent()) {
      return Optional.empty();
    }
    if (!offersAuth(qop.get())) {
      return Optional.empty();
    }
    DigestAlgorithm algorithm;
    try {
      algorithm = DigestAlgorithm.fromToken(params.optional("algorithm").orElse("MD5"));
    } catch (DigestFormatException unsupported) {
      return Optional.empty();
    }
    boolean stale = params.optional("stale").map(v -> v.equalsIgnoreCase("true")).orElse(false);
    return Optional.of(
        new DigestChallenge(
            realm.get(), nonce.get(), params.optional("opaque"), algorithm, QOP_AUTH, stale));
  }

  private static boolean offersAuth(String qopList) {
    for (String option : qopList.split(",", -1)) {
      if (option.trim().toLowerCase(Locale.ROOT).equals(QOP_AUTH)) {
        return true;
      }
    }
    return false;
  }
}
