package io.doorpair.crypto.digest;

import java.util.ArrayList;
import java.util.List;

/**
 * The generic syntax of {@code Authorization} and {@code WWW-Authenticate} values (RFC 9110 §11):
 * schemes, {@code auth-param} lists, {@code token68}, quoted strings. It only splits; the Digest
 * rules live in the callers. Every failure is a {@link DigestFormatException} with a fixed message.
 */
final class AuthHeaderSyntax {
  /** A whole header value may not be longer than this many characters. */
  static final int MAX_HEADER_LENGTH = 4096;

  /** One {@code auth-param} as found; {@code name} in lowercase. */
  record Param(String name, String value) {}

  /** One challenge or credentials: its scheme and either parameters or a token68. */
  record Section(String scheme, List<Param> params, boolean token68) {}

  private final String s;
  private final String malformed;
  private int pos;

  private AuthHeaderSyntax(String s, String malformed) {
    this.s = s;
    this.malformed = malformed;
  }

  /**
   * Splits a {@code WWW-Authenticate} value into its challenges.
   *
   * @throws DigestFormatException {@code challenge header too long} or {@code malformed challenge
   *     header}
   */
  static List<Section> challenges(String header) {
    if (header.length() > MAX_HEADER_LENGTH) {
      throw new DigestFormatException("challenge header too long");
    }
    AuthHeaderSyntax p = new AuthHeaderSyntax(header, "malformed challenge header");
    List<Section> out = new ArrayList<>();
    while (true) {
      p.skipWhitespaceAndCommas();
      if (p.atEnd()) {
        return out;
      }
      out.add(p.section(true));
    }
  }

  /**
   * Reads an {@code Authorization} value: exactly one credentials.
   *
   * @throws DigestFormatException {@code authorization header too long} or {@code malformed
   *     authorization header}
   */
  static Section credentials(String header) {
    if (header.length() > MAX_HEADER_LENGTH) {
      throw new DigestFormatException("authorization header too long");
    }
    AuthHeaderSyntax p = new AuthHeaderSyntax(header, "malformed authorization header");
    p.skipWhitespace();
    Section section = p.section(false);
    p.skipWhitespace();
    if (!p.atEnd()) {
      throw p.fail();
    }
    return section;
  }

  /** Renders a value as a quoted string, escaping {@code \} and {@code "}. */
  static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  /** Whether {@code c} may stand in a {@code token} (RFC 9110 tchar). */
  static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private Section section(boolean manyChallenges) {
    String scheme = token();
    if (scheme.isEmpty()) {
      throw fail();
    }
    if (atEnd() || peek() == ',') {
      if (!manyChallenges && !atEnd()) {
        throw fail();
      }
      return new Section(scheme, List.of(), false);
    }
    if (!isWhitespace(peek())) {
      throw fail();
    }
    skipWhitespace();
    if (atEnd() || peek() == ',') {
      return new Section(scheme, List.of(), false);
    }
    if (token68Ahead()) {
      skipToken68();
      return new Section(scheme, List.of(), true);
    }
    return new Section(scheme, params(manyChallenges), false);
  }

  private List<Param> params(boolean manyChallenges) {
    List<Param> params = new ArrayList<>();
    while (true) {
      skipWhitespaceAndCommas();
      if (atEnd() || (manyChallenges && newChallengeAhead())) {
        return params;
      }
      String name = token();
      if (name.isEmpty()) {
        throw fail();
      }
      skipWhitespace();
      if (atEnd() || peek() != '=') {
        throw fail();
      }
      pos++;
      skipWhitespace();
      String value;
      if (!atEnd() && peek() == '"') {
        value = quotedString();
      } else {
        value = token();
        if (value.isEmpty()) {
          throw fail();
        }
      }
      params.add(new Param(name.toLowerCase(java.util.Locale.ROOT), value));
      skipWhitespace();
      if (atEnd()) {
        return params;
      }
      if (peek() != ',') {
        throw fail();
      }
    }
  }

  /** At the start of a list element: a token not followed by {@code =} begins a new challenge. */
  private boolean newChallengeAhead() {
    int save = pos;
    String t = token();
    skipWhitespace();
    boolean isParam = !t.isEmpty() && !atEnd() && peek() == '=';
    boolean isNew = !t.isEmpty() && !isParam;
    pos = save;
    return isNew;
  }

  /** A token68 stands alone: its characters, optional {@code =} padding, then end or comma. */
  private boolean token68Ahead() {
    int p = pos;
    while (p < s.length() && isToken68Char(s.charAt(p))) {
      p++;
    }
    if (p == pos) {
      return false;
    }
    while (p < s.length() && s.charAt(p) == '=') {
      p++;
    }
    while (p < s.length() && isWhitespace(s.charAt(p))) {
      p++;
    }
    return p == s.length() || s.charAt(p) == ',';
  }

  private void skipToken68() {
    while (!atEnd() && (isToken68Char(peek()) || peek() == '=')) {
      pos++;
    }
    skipWhitespace();
  }

  private String quotedString() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (atEnd()) {
        throw fail();
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        if (atEnd()) {
          throw fail();
        }
        c = s.charAt(pos++);
        if (!isQuotable(c)) {
          throw fail();
        }
      } else if (!isQuotable(c)) {
        throw fail();
      }
      sb.append(c);
    }
  }

  private String token() {
    int start = pos;
    while (!atEnd() && isTokenChar(peek())) {
      pos++;
    }
    return s.substring(start, pos);
  }

  private static boolean isToken68Char(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~+/".indexOf(c) >= 0;
  }

  /** qdtext and quoted-pair: HTAB, SP, VCHAR, obs-text (and, leniently, anything above). */
  private static boolean isQuotable(char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7f);
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  private void skipWhitespace() {
    while (!atEnd() && isWhitespace(peek())) {
      pos++;
    }
  }

  private void skipWhitespaceAndCommas() {
    while (!atEnd() && (isWhitespace(peek()) || peek() == ',')) {
      pos++;
    }
  }

  private boolean atEnd() {
    return pos >= s.length();
  }

  private char peek() {
    return s.charAt(pos);
  }

  private DigestFormatException fail() {
    return new DigestFormatException(malformed);
  }
}
