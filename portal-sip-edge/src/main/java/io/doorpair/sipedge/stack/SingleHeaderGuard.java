package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

  private static final Set<String> SINGLE =
      Set.of("from", "to", "call-id", "cseq", "max-forwards", "content-length");
  private static final Map<String, String> COMPACT =
      Map.of("f", "from", "t", "to", "i", "call-id", "l", "content-length");

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

  /** Whether the head of {@code bytes} has a single-instance header more than once. */
  static boolean repeatsSingleHeader(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      end = text.indexOf("\n\n");
    }
    String head = end < 0 ? text : text.substring(0, end);
    Map<String, Integer> seen = new HashMap<>();
    String[] lines = head.split("\r?\n");
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        continue; // folded continuation
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      name = COMPACT.getOrDefault(name, name);
      if (SINGLE.contains(name) && seen.merge(name, 1, Integer::sum) > 1) {
        return true;
      }
    }
    return false;
  }
}
