package io.doorpair.sipedge.stack;

import java.io.IOException;
import java.util.Arrays;

/**
 * Splits one connection's decrypted byte stream into SIP messages (RFC 3261 18.3: the head up to
 * its empty line, then exactly Content-Length bytes of body), within a size bound, and recognises
 * RFC 5626 keep-alives between messages.
 *
 * <p>It replaces jain-sip's {@code NioPipelineParser} on the edge's connections, which allocated
 * the body as soon as it read a Content-Length header, before any bound: one request announcing
 * {@code Content-Length: 2000000000} threw {@code OutOfMemoryError} on the selector thread and the
 * server stopped reading every connection. Here a message whose head and announced body exceed the
 * limit is refused before anything is allocated for it, and the connection is closed: after a
 * framing error nobody can tell where the next message starts.
 *
 * <p>Refused (a {@link FramingException}, which closes the connection): a head or a whole message
 * over the limit; a Content-Length that is not 1 to 9 digits; two Content-Length headers (long or
 * compact form) with different values; a folded Content-Length; a CR without LF in a head (the
 * stack's parser ends a line there, this scan would not: the two would disagree on the headers).
 * {@link ConnectionDispatch} also closes the connection when the parsed Content-Length is not the
 * body cut here. The scan for a head's end resumes where the last read left it, so a head sent a
 * byte at a time costs its length once; at most one ping per read is answered. A message with no
 * Content-Length has an empty body, as the stack had it. Memory held between reads is only the
 * unfinished message's bytes; an idle connection holds none. Not thread-safe: one framer per
 * connection, fed by its selector thread.
 */
final class StreamFramer {
  /** What the framer finds, in stream order. */
  interface Sink {
    /** A complete message: its head (start line, headers, empty line) and its body. */
    void message(byte[] head, byte[] body) throws IOException;

    /** An RFC 5626 ping (an empty line right after another, between messages): answer a CRLF. */
    void ping() throws IOException;

    /** A lone empty line between messages (an RFC 5626 pong, or the first half of a ping). */
    void pong();
  }

  /** A stream that cannot be split into messages; the connection must be closed. */
  static final class FramingException extends IOException {
    private static final long serialVersionUID = 1L;

    FramingException(String message) {
      super(message);
    }
  }

  private static final int MAX_LENGTH_DIGITS = 9;
  private static final int FIRST_CAPACITY = 2048;

  private final int maxMessageSize;
  private final Sink sink;
  private byte[] buf; // null while nothing is pending
  private int start; // first byte of the current message (or of the pending CRLFs)
  private int end; // one past the last byte read
  private int scanFrom; // where the search for the head's end resumes
  private int headLength = -1; // the current message's head length once its end is found
  private int bodyLength;
  private boolean lastLineEmpty; // an empty line between messages was just seen
  private boolean refused; // a framing error was thrown: the stream is lost
  private boolean pinged; // a ping was answered in this read
  private long scanned; // bytes looked at for heads' ends, for tests

  /**
   * @param maxMessageSize the largest message (head and body), bytes, at least 1
   * @param sink where messages and keep-alives go
   */
  StreamFramer(int maxMessageSize, Sink sink) {
    if (maxMessageSize < 1) {
      throw new IllegalArgumentException("maxMessageSize must be positive");
    }
    this.maxMessageSize = maxMessageSize;
    this.sink = sink;
  }

  /** How many bytes the search for heads' ends has looked at so far (each about once). */
  long scanned() {
    return scanned;
  }

  /** Whether no byte of an unfinished message is held. */
  boolean idle() {
    return buf == null;
  }

  /**
   * Takes the next bytes of the stream and hands every message they complete to the sink.
   *
   * @throws FramingException when the stream breaks the rules above (nothing more is accepted)
   * @throws IOException what the sink threw
   */
  void add(byte[] bytes) throws IOException {
    if (refused) {
      throw new FramingException("the stream was refused before");
    }
    if (bytes.length == 0) {
      return;
    }
    pinged = false;
    try {
      split(bytes);
    } catch (FramingException e) {
      refused = true;
      buf = null; // nothing more is read from this stream
      throw e;
    }
  }

  private void split(byte[] bytes) throws IOException {
    append(bytes);
    while (start < end) {
      if (headLength < 0 && !skipEmptyLines()) {
        break;
      }
      if (headLength < 0 && !findHeadEnd()) {
        break;
      }
      if (end - start < headLength + bodyLength) {
        break;
      }
      byte[] head = Arrays.copyOfRange(buf, start, start + headLength);
      byte[] body = Arrays.copyOfRange(buf, start + headLength, start + headLength + bodyLength);
      start += headLength + bodyLength;
      scanFrom = start;
      headLength = -1;
      bodyLength = 0;
      sink.message(head, body);
    }
    compact();
  }

  private void append(byte[] bytes) {
    if (buf == null) {
      buf = new byte[Math.max(FIRST_CAPACITY, bytes.length)];
      start = 0;
      end = 0;
      scanFrom = 0;
    } else if (buf.length - end < bytes.length) {
      int pending = end - start;
      // what is pending is at most one message (the rest was handed on), plus this read
      int needed = pending + bytes.length;
      byte[] bigger =
          needed <= buf.length
              ? buf
              : new byte[Math.max(needed, Math.min(2 * buf.length, maxMessageSize + bytes.length))];
      System.arraycopy(buf, start, bigger, 0, pending);
      scanFrom -= start;
      start = 0;
      end = pending;
      buf = bigger;
    }
    System.arraycopy(bytes, 0, buf, end, bytes.length);
    end += bytes.length;
  }

  /** Drops the buffer when nothing is pending, so that an idle connection holds no bytes. */
  private void compact() throws FramingException {
    if (start == end) {
      buf = null;
      return;
    }
    if (end - start > maxMessageSize) {
      throw new FramingException("a SIP message over " + maxMessageSize + " bytes");
    }
  }

  /**
   * Consumes the empty lines (CRLF or LF) before a message, reporting keep-alives.
   *
   * @return whether a message's first byte is next
   */
  private boolean skipEmptyLines() throws IOException {
    while (start < end) {
      byte b = buf[start];
      if (b == '\n') {
        start++;
        if (lastLineEmpty) {
          lastLineEmpty = false;
          if (!pinged) { // one pong per read, however many pings it held
            pinged = true;
            sink.ping();
          }
        } else {
          lastLineEmpty = true;
          sink.pong();
        }
      } else if (b == '\r') {
        if (start + 1 == end) {
          return false; // its LF is still to come
        }
        if (buf[start + 1] != '\n') {
          throw new FramingException("a CR without LF between SIP messages");
        }
        start++;
      } else {
        lastLineEmpty = false;
        scanFrom = Math.max(scanFrom, start); // never back: a head is scanned once, read by read
        return true;
      }
    }
    scanFrom = Math.max(scanFrom, start);
    return false;
  }

  /**
   * Looks for the empty line that ends the current message's head, and reads its Content-Length.
   *
   * @return whether the head is complete
   */
  private boolean findHeadEnd() throws FramingException {
    int limit = Math.min(end, start + maxMessageSize);
    for (int i = Math.max(scanFrom, start); i < limit; i++) {
      scanned++;
      if (buf[i] != '\n') {
        continue;
      }
      int next = i + 1;
      if (next < end && buf[next] == '\r') {
        next++;
      }
      if (next >= end) {
        scanFrom = i; // not yet known whether the next line is empty
        return false;
      }
      if (buf[next] == '\n') {
        headLength = next + 1 - start;
        bodyLength = contentLength(start, start + headLength);
        if ((long) headLength + bodyLength > maxMessageSize) {
          throw new FramingException(
              "a SIP message of "
                  + ((long) headLength + bodyLength)
                  + " bytes announced, over "
                  + maxMessageSize);
        }
        return true;
      }
    }
    if (end - start >= maxMessageSize) {
      throw new FramingException("a SIP message head over " + maxMessageSize + " bytes");
    }
    scanFrom = end;
    return false;
  }

  /**
   * The Content-Length of the head in {@code buf[from, to)}: 0 when absent. Refuses what the
   * stack's parser would read differently from this scan (it ends a line at a lone CR too, and
   * joins a folded line to the header before it): a CR without LF anywhere in the head, and a
   * folded Content-Length.
   */
  private int contentLength(int from, int to) throws FramingException {
    int found = -1;
    boolean lastWasLength = false;
    for (int i = from; i < to; i = HeadBytes.lineAfter(buf, i, to)) {
      int lineEnd = HeadBytes.lineAfter(buf, i, to);
      int stop = lineEnd;
      if (stop > i && buf[stop - 1] == '\n') {
        stop--;
      }
      if (stop > i && buf[stop - 1] == '\r') {
        stop--;
      }
      if (HeadBytes.indexOf(buf, (byte) '\r', i, stop) >= 0) {
        throw new FramingException("a CR without LF in a SIP message head");
      }
      if (i == from || stop == i) {
        lastWasLength = false; // the start line, or the empty line that ends the head
        continue;
      }
      if (buf[i] == ' ' || buf[i] == '\t') {
        if (lastWasLength) {
          throw new FramingException("a folded Content-Length");
        }
        continue;
      }
      int colon = HeadBytes.indexOf(buf, (byte) ':', i, stop);
      lastWasLength = colon > i && isContentLength(i, colon);
      if (lastWasLength) {
        int value = digits(colon + 1, stop);
        if (found >= 0 && found != value) {
          throw new FramingException("two different Content-Length headers");
        }
        found = value;
      }
    }
    return Math.max(found, 0);
  }

  private boolean isContentLength(int from, int to) {
    while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
      to--;
    }
    return HeadBytes.nameIs(buf, from, to, "content-length")
        || HeadBytes.nameIs(buf, from, to, "l");
  }

  private int digits(int from, int to) throws FramingException {
    while (from < to && (buf[from] == ' ' || buf[from] == '\t')) {
      from++;
    }
    while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
      to--;
    }
    if (to == from || to - from > MAX_LENGTH_DIGITS) {
      throw new FramingException("a Content-Length that is not 1 to 9 digits");
    }
    int value = 0;
    for (int k = from; k < to; k++) {
      int d = buf[k] - '0';
      if (d < 0 || d > 9) {
        throw new FramingException("a Content-Length that is not 1 to 9 digits");
      }
      value = value * 10 + d;
    }
    return value;
  }
}
