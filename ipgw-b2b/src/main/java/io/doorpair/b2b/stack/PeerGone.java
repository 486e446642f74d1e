package io.doorpair.b2b.stack;

import java.util.Set;
import javax.sip.message.Request;

/**
 * Whether the answer to a request relayed inside a bridged dialog says that the other end is gone
 * (RFC 5057 §5.1: the responses that end the dialog, {@code 481} and {@code 408} above all; {@code
 * 430} Flow Failed of RFC 5626, the portal's word for a device connection closed): the bridge then
 * hangs up both legs instead of keeping a half-dead call.
 */
final class PeerGone {
  private static final Set<Integer> STATUSES =
      Set.of(404, 408, 410, 416, 430, 481, 482, 483, 484, 485, 502, 604);

  private PeerGone() {}

  /** Whether {@code status}, answering a relayed request, means the other end is gone. */
  static boolean says(int status) {
    return STATUSES.contains(status);
  }

  /** Whether {@code method} is one the bridge relays in a dialog (whose loss ends the call). */
  static boolean relayed(String method) {
    return Request.INFO.equals(method) || Request.MESSAGE.equals(method);
  }
}
