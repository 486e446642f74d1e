package io.doorpair.b2b.access;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes RFC 4733 {@code telephone-event} from an SDP offer or answer: its {@code a=rtpmap} and
 * {@code a=fmtp} lines and its payload type from every {@code m=} line. Media then flows end to end
 * without a negotiated event payload; a device could still send RTP events on an unnegotiated
 * payload type, which the b2b cannot see (it does not relay media).
 */
public final class Sdp {
  private static final Pattern EVENT =
      Pattern.compile("a=rtpmap:(\\d{1,3}) telephone-event/.*", Pattern.CASE_INSENSITIVE);

  private Sdp() {}

  /**
   * The SDP without telephone-event.
   *
   * @param sdp the body (lines ending in CRLF or LF)
   * @return the filtered body, with CRLF line ends
   */
  public static String withoutTelephoneEvent(String sdp) {
    String[] lines = sdp.split("\r?\n", -1);
    Set<String> payloads = new HashSet<>();
    for (String line : lines) {
      Matcher m = EVENT.matcher(line.strip());
      if (m.matches()) {
        payloads.add(m.group(1));
      }
    }
    if (payloads.isEmpty()) {
      return sdp;
    }
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String l = line.strip();
      String lower = l.toLowerCase(Locale.ROOT);
      if (lower.startsWith("a=rtpmap:") || lower.startsWith("a=fmtp:")) {
        String pt = l.substring(l.indexOf(':') + 1).split("[ ]", 2)[0];
        if (payloads.contains(pt)) {
          continue;
        }
      }
      if (lower.startsWith("m=")) {
        String[] f = l.split(" ");
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < f.length; i++) {
          if (i >= 3 && payloads.contains(f[i])) {
            continue;
          }
          if (m.length() > 0) {
            m.append(' ');
          }
          m.append(f[i]);
        }
        out.add(m.toString());
        continue;
      }
      out.add(l);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return String.join("\r\n", out) + "\r\n";
  }
}
