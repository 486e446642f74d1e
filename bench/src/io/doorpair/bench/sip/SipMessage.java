package io.doorpair.bench.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One SIP message as the load generator needs it: the start line and the header lines in order
 * (names lowercased, compact forms expanded), no validation beyond what framing needs.
 */
final class SipMessage {
  final String startLine;
  private final List<String> names;
  private final List<String> lines;
  private final List<String> values;

  private SipMessage(
      String startLine, List<String> names, List<String> lines, List<String> values) {
    this.startLine = startLine;
    this.names = names;
    this.lines = lines;
    this.values = values;
  }

  /** Parses the head (start line and headers, without the blank line); the body is ignored. */
  static SipMessage parse(String head) {
    List<String> names = new ArrayList<>(16);
    List<String> lines = new ArrayList<>(16);
    List<String> values = new ArrayList<>(16);
    int eol = head.indexOf("\r\n");
    String start = eol < 0 ? head : head.substring(0, eol);
    int pos = eol < 0 ? head.length() : eol + 2;
    while (pos < head.length()) {
      int end = head.indexOf("\r\n", pos);
      if (end < 0) {
        end = head.length();
      }
      String line = head.substring(pos, end);
      pos = end + 2;
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      names.add(expand(line.substring(0, colon).trim().toLowerCase(Locale.ROOT)));
      lines.add(line);
      values.add(line.substring(colon + 1).trim());
    }
    return new SipMessage(start, names, lines, values);
  }

  private static String expand(String name) {
    if (name.length() != 1) {
      return name;
    }
    switch (name) {
      case "v":
        return "via";
      case "f":
        return "from";
      case "t":
        return "to";
      case "i":
        return "call-id";
      case "m":
        return "contact";
      case "l":
        return "content-length";
      case "c":
        return "content-type";
      default:
        return name;
    }
  }

  boolean isResponse() {
    return startLine.startsWith("SIP/2.0 ");
  }

  /** The status code of a response. */
  int status() {
    return Integer.parseInt(startLine.substring(8, 11));
  }

  /** The method of a request. */
  String method() {
    return startLine.substring(0, startLine.indexOf(' '));
  }

  /** The first value of a header, or "" when absent. */
  String header(String name) {
    int i = names.indexOf(name);
    return i < 0 ? "" : values.get(i);
  }

  /** Every header line (as received) with this name, in order. */
  List<String> lines(String name) {
    List<String> found = new ArrayList<>(2);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(name)) {
        found.add(lines.get(i));
      }
    }
    return found;
  }

  /** Every comma-separated value of every header with this name, in order. */
  List<String> values(String name) {
    List<String> found = new ArrayList<>(2);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(name)) {
        found.addAll(splitCommas(values.get(i)));
      }
    }
    return found;
  }

  /** The method named in CSeq. */
  String cseqMethod() {
    String cseq = header("cseq");
    return cseq.substring(cseq.indexOf(' ') + 1).trim();
  }

  /** The URI of a name-addr ({@code <sip:...>}) or addr-spec header value. */
  static String uri(String value) {
    int lt = value.indexOf('<');
    if (lt >= 0) {
      return value.substring(lt + 1, value.indexOf('>', lt));
    }
    int semi = value.indexOf(';');
    return semi < 0 ? value.trim() : value.substring(0, semi).trim();
  }

  /** The record-route set reversed, as a Route header line for a UAC, or "" when empty. */
  String uacRouteLine() {
    List<String> rr = values("record-route");
    if (rr.isEmpty()) {
      return "";
    }
    Collections.reverse(rr);
    return "Route: " + String.join(", ", rr) + "\r\n";
  }

  private static List<String> splitCommas(String value) {
    List<String> parts = new ArrayList<>(1);
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '<') {
        depth++;
      } else if (!quoted && c == '>') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        parts.add(value.substring(start, i).trim());
        start = i + 1;
      }
    }
    parts.add(value.substring(start).trim());
    return parts;
  }
}
