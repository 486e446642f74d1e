package io.doorpair.crypto.digest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of one Digest challenge or credentials, checked against the limits: at most
 * {@value #MAX_PARAMS} parameters, each value at most {@value #MAX_VALUE_LENGTH} characters, no
 * parameter twice. Messages name a parameter only when it is one of the Digest parameters, so they
 * never echo input.
 */
final class DigestParams {
  static final int MAX_VALUE_LENGTH = 1024;
  static final int MAX_PARAMS = 32;

  private static final Set<String> KNOWN =
      Set.of(
          "username",
          "username*",
          "realm",
          "nonce",
          "uri",
          "response",
          "algorithm",
          "cnonce",
          "nc",
          "qop",
          "opaque",
          "userhash",
          "stale",
          "domain",
          "charset");

  private final Map<String, String> values;

  private DigestParams(Map<String, String> values) {
    this.values = values;
  }

  static DigestParams of(List<AuthHeaderSyntax.Param> params) {
    if (params.size() > MAX_PARAMS) {
      throw new DigestFormatException("too many parameters");
    }
    Map<String, String> values = new HashMap<>();
    for (AuthHeaderSyntax.Param p : params) {
      if (p.value().length() > MAX_VALUE_LENGTH) {
        throw new DigestFormatException(named("parameter too long", p.name()));
      }
      if (values.putIfAbsent(p.name(), p.value()) != null) {
        throw new DigestFormatException(named("duplicate parameter", p.name()));
      }
    }
    return new DigestParams(values);
  }

  Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name));
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new DigestFormatException("missing parameter: " + name);
    }
    return v;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** {@code "what: name"} for a Digest parameter, just {@code "what"} for anything else. */
  static String named(String what, String name) {
    return KNOWN.contains(name) ? what + ": " + name : what;
  }

  /**
   * Checks one value for a record component: not too long, no control characters, and not empty
   * unless allowed.
   */
  static String checkValue(String name, String value, boolean mayBeEmpty) {
    if (value == null) {
      throw new NullPointerException(name);
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      throw new DigestFormatException(named("parameter too long", name));
    }
    if (!mayBeEmpty && value.isEmpty()) {
      throw new DigestFormatException(named("empty parameter", name));
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new DigestFormatException(named("invalid character in parameter", name));
      }
    }
    return value;
  }
}
