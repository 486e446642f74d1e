package io.doorpair.crypto.digest;

import java.util.Objects;
import java.util.Optional;

/**
 * The Digest credentials of an {@code Authorization} header (RFC 7616 §3.4), as this package
 * supports them: qop {@code auth}, algorithm MD5 or SHA-256, no username hashing.
 *
 * @param username as sent; never hashed ({@code userhash=true} is refused)
 * @param realm the realm of the challenge answered; may be empty
 * @param nonce the nonce of the challenge answered
 * @param uri the request target the digest covers
 * @param response the digest, {@link DigestAlgorithm#hexLength()} hex digits
 * @param algorithm MD5 when the header does not say
 * @param cnonce the client nonce
 * @param nc the nonce count, exactly 8 hex digits, not zero; see {@link #ncValue()}
 * @param qop {@code auth}, in the case the client sent it
 * @param opaque echoed from the challenge, when present
 */
public record DigestAuthorization(
    String username,
    String realm,
    String nonce,
    String uri,
    String response,
    DigestAlgorithm algorithm,
    String cnonce,
    String nc,
    String qop,
    Optional<String> opaque) {

  /**
   * Validates the components.
   *
   * @throws DigestFormatException when a value is too long, empty where it may not be, has a
   *     control character; {@code invalid response}, {@code invalid nc}, {@code unsupported qop}
   */
  public DigestAuthorization {
    DigestParams.checkValue("username", username, false);
    DigestParams.checkValue("realm", realm, true);
    DigestParams.checkValue("nonce", nonce, false);
    DigestParams.checkValue("uri", uri, false);
    DigestParams.checkValue("response", response, false);
    Objects.requireNonNull(algorithm, "algorithm");
    DigestParams.checkValue("cnonce", cnonce, false);
    DigestParams.checkValue("nc", nc, false);
    DigestParams.checkValue("qop", qop, false);
    Objects.requireNonNull(opaque, "opaque");
    opaque.ifPresent(o -> DigestParams.checkValue("opaque", o, true));
    if (response.length() != algorithm.hexLength() || !Hex.isHex(response)) {
      throw new DigestFormatException("invalid response");
    }
    if (nc.length() != 8 || !Hex.isHex(nc) || Long.parseLong(nc, 16) == 0) {
      throw new DigestFormatException("invalid nc");
    }
    if (!qop.equalsIgnoreCase(DigestChallenge.QOP_AUTH)) {
      throw new DigestFormatException("unsupported qop");
    }
  }

  /**
   * Answers a challenge: the client side of RFC 7616 §3.4.
   *
   * @param challenge the challenge to answer
   * @param username the username to send
   * @param ha1 {@code H(username:realm:password)} for the challenge's realm and algorithm
   * @param method the request method, e.g. {@code POST}
   * @param uri the request target, e.g. {@code /api/pair}
   * @param cnonce a fresh random client nonce
   * @param nc how many requests this client has sent with this nonce, this one included (from 1)
   * @return the credentials, with opaque echoed
   * @throws IllegalArgumentException when the HA1 was computed with another algorithm
   */
  public static DigestAuthorization answer(
      DigestChallenge challenge,
      String username,
      Ha1 ha1,
      String method,
      String uri,
      String cnonce,
      long nc) {
    String ncHex = formatNc(nc);
    String response =
        DigestMath.response(
            ha1,
            challenge.algorithm(),
            method,
            uri,
            challenge.nonce(),
            ncHex,
            cnonce,
            challenge.qop());
    return new DigestAuthorization(
        username,
        challenge.realm(),
        challenge.nonce(),
        uri,
        response,
        challenge.algorithm(),
        cnonce,
        ncHex,
        challenge.qop(),
        challenge.opaque());
  }

  /**
   * Formats a nonce count as on the wire.
   *
   * @param nc from 1 to {@code 0xffffffff}
   * @return 8 lowercase hex digits
   * @throws IllegalArgumentException {@code nc out of range}
   */
  public static String formatNc(long nc) {
    if (nc < 1 || nc > 0xffffffffL) {
      throw new IllegalArgumentException("nc out of range");
    }
    String hex = Long.toHexString(nc);
    return "00000000".substring(hex.length()) + hex;
  }

  /**
   * The nonce count as a number.
   *
   * @return from 1 to {@code 0xffffffff}
   */
  public long ncValue() {
    return Long.parseLong(nc, 16);
  }

  /**
   * Renders the credentials, e.g. {@code Digest username="Mufasa", realm="...", uri="...",
   * algorithm=SHA-256, nonce="...", nc=00000001, cnonce="...", qop=auth, response="...",
   * opaque="..."}.
   *
   * @return the header value
   */
  public String toHeaderValue() {
    StringBuilder sb = new StringBuilder("Digest username=");
    sb.append(AuthHeaderSyntax.quote(username));
    sb.append(", realm=").append(AuthHeaderSyntax.quote(realm));
    sb.append(", uri=").append(AuthHeaderSyntax.quote(uri));
    sb.append(", algorithm=").append(algorithm.token());
    sb.append(", nonce=").append(AuthHeaderSyntax.quote(nonce));
    sb.append(", nc=").append(nc);
    sb.append(", cnonce=").append(AuthHeaderSyntax.quote(cnonce));
    sb.append(", qop=").append(qop);
    sb.append(", response=").append(AuthHeaderSyntax.quote(response));
    opaque.ifPresent(o -> sb.append(", opaque=").append(AuthHeaderSyntax.quote(o)));
    return sb.toString();
  }

  /**
   * Reads an {@code Authorization} value with Digest credentials. Unknown parameters are ignored.
   *
   * @param headerValue the header value
   * @return the credentials
   * @throws DigestFormatException with one of these messages: {@code authorization header too long}
   *     (over 4096 characters), {@code malformed authorization header}, {@code not a Digest
   *     authorization}, {@code too many parameters} (over 32), {@code parameter too long: NAME}
   *     (over 1024 characters), {@code duplicate parameter: NAME}, {@code missing parameter: NAME},
   *     {@code empty parameter: NAME}, {@code invalid character in parameter: NAME}, {@code
   *     unsupported parameter: username*}, {@code unsupported userhash}, {@code unsupported
   *     algorithm}, {@code unsupported qop}, {@code invalid nc}, {@code invalid response}. NAME is
   *     given only for Digest parameters, so no message quotes the input.
   */
  public static DigestAuthorization parse(String headerValue) {
    Objects.requireNonNull(headerValue, "headerValue");
    AuthHeaderSyntax.Section section = AuthHeaderSyntax.credentials(headerValue);
    if (!section.scheme().equalsIgnoreCase("Digest")) {
      throw new DigestFormatException("not a Digest authorization");
    }
    if (section.token68()) {
      throw new DigestFormatException("malformed authorization header");
    }
    DigestParams params = DigestParams.of(section.params());
    if (params.has("username*")) {
      throw new DigestFormatException("unsupported parameter: username*");
    }
    Optional<String> userhash = params.optional("userhash");
    if (userhash.isPresent() && !userhash.get().equalsIgnoreCase("false")) {
      throw new DigestFormatException("unsupported userhash");
    }
    DigestAlgorithm algorithm =
        DigestAlgorithm.fromToken(params.optional("algorithm").orElse("MD5"));
    return new DigestAuthorization(
        params.required("username"),
        params.required("realm"),
        params.required("nonce"),
        params.required("uri"),
        params.required("response"),
        algorithm,
        params.required("cnonce"),
        params.required("nc"),
        params.required("qop"),
        params.optional("opaque"));
  }

  /**
   * Leaves out the nonces and the response: together they allow an offline guess of the password.
   */
  @Override
  public String toString() {
    return "DigestAuthorization[username="
        + username
        + ", realm="
        + realm
        + ", uri="
        + uri
        + ", algorithm="
        + algorithm.token()
        + ", nc="
        + nc
        + "]";
  }
}
