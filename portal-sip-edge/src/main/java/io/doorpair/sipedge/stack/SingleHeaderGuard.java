package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * The stack's message parser with one addition. jain-sip silently keeps the first of two From (or
 * To, Call-ID, CSeq...) headers and drops the other, so a request can carry an identity the stack
 * never shows us. This parser counts those single-instance headers in the raw head (compact forms
 * included) and marks a message that repeats one; {@link EdgeSipListener} answers it {@code 400}.
 *
 * <p>Public only because the stack creates it by reflection ({@code MESSAGE_PARSER_FACTORY}); not
 * an API.
 */
public final class SingleHeaderGuard implements MessageParserFactory {
  /** The application-data mark of a message that repeats a single-instance header. */
  static final Object DUPLICATE = new Object();

  /** For the stack's reflection. */
  public SingleHeaderGuard() {}

  @Override
  public MessageParser createMessageParser(SIPTransactionStack stack) {
    StringMsgParser parser = new StringMsgParser();
    return (byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener listener) -> {
      SIPMessage message = parser.parseSIPMessage(bytes, readBody, strict, listener);
      if (message != null && repeatsSingleHeader(bytes)) {
        message.setApplicationData(DUPLICATE);
      }
      return message;
    };
  }

  /**
   * Whether the head of {@code bytes} has a single-instance header more than once. Scans the bytes
   * in place (no copy, no regex): it runs on every message the stack reads.
   */
  static boolean repeatsSingleHeader(byte[] bytes) {
    int[] seen = new int[NAMES.length];
    int i = HeadBytes.lineAfter(bytes, 0, bytes.length); // the start line is no header
    while (i < bytes.length) {
      int end = HeadBytes.lineAfter(bytes, i, bytes.length); // just past this line's LF, or the end
      int stop = end;
      if (stop > i && bytes[stop - 1] == '\n') {
        stop--;
      }
      if (stop > i && bytes[stop - 1] == '\r') {
        stop--;
      }
      if (stop == i) {
        return false; // the empty line: end of the head
      }
      byte first = bytes[i];
      if (first != ' ' && first != '\t') { // else a folded continuation
        int colon = HeadBytes.indexOf(bytes, (byte) ':', i, stop);
        if (colon > i) {
          int which = single(bytes, i, colon);
          if (which >= 0 && ++seen[which] > 1) {
            return true;
          }
        }
      }
      i = end;
    }
    return false;
  }

  /** The names counted, long forms then the compact forms mapped to the same slot. */
  private static final String[] NAMES = {
    "from", "to", "call-id", "cseq", "max-forwards", "content-length"
  };

  private static final String[] COMPACT_NAMES = {"f", "t", "i", null, null, "l"};

  /** The slot of the header name in {@code bytes[from, to)} (trimmed), or -1. */
  private static int single(byte[] bytes, int from, int to) {
    while (from < to && (bytes[from] & 0xff) <= ' ') {
      from++;
    }
    while (to > from && (bytes[to - 1] & 0xff) <= ' ') {
      to--;
    }
    for (int n = 0; n < NAMES.length; n++) {
      if (HeadBytes.nameIs(bytes, from, to, NAMES[n])
          || HeadBytes.nameIs(bytes, from, to, COMPACT_NAMES[n])) {
        return n;
      }
    }
    return -1;
  }
}
