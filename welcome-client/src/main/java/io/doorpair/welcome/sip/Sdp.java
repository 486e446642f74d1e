package io.doorpair.welcome.sip;

import java.security.SecureRandom;

/** The SDP the phone sends when its caller gives none. */
public final class Sdp {
  private Sdp() {}

  /**
   * A minimal audio offer or answer (RFC 4566): PCMU, PCMA and telephone-event on {@code rtpPort}
   * of {@code address}. The phone itself moves no media: an app wires its own RTP stack and passes
   * its SDP instead.
   *
   * @param address the IPv4 address media would go to
   * @param rtpPort the RTP port, even, 1024-65534
   * @return the SDP text, CRLF line ends
   */
  public static String minimal(String address, int rtpPort) {
    if (rtpPort < 1024 || rtpPort > 65534 || rtpPort % 2 != 0) {
      throw new IllegalArgumentException("an RTP port is even, 1024-65534");
    }
    long session = new SecureRandom().nextInt(Integer.MAX_VALUE);
    return "v=0\r\n"
        + "o=welcome "
        + session
        + " "
        + session
        + " IN IP4 "
        + address
        + "\r\n"
        + "s=welcome\r\n"
        + "c=IN IP4 "
        + address
        + "\r\n"
        + "t=0 0\r\n"
        + "m=audio "
        + rtpPort
        + " RTP/AVP 0 8 101\r\n"
        + "a=rtpmap:0 PCMU/8000\r\n"
        + "a=rtpmap:8 PCMA/8000\r\n"
        + "a=rtpmap:101 telephone-event/8000\r\n"
        + "a=fmtp:101 0-15\r\n"
        + "a=sendrecv\r\n";
  }
}
