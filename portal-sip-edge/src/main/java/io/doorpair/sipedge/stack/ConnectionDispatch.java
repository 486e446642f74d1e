package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.ThreadAffinityIdentifier;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.doorpair.sipedge.logging.LimitedLog;
import java.io.IOException;
import java.text.ParseException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a connection's framed messages go: each is parsed and handed to the stack on the listener
 * pool, off the selector thread, and always on the same pool thread for one connection, so that a
 * connection's messages are handled in the order they arrived.
 *
 * <p>jain-sip's own dispatch gave each message to the next pool thread in turn: a 180 and a 200
 * read together ran at once on two threads, and when the 200 ended the client transaction first,
 * the 180 found none and the stack searched every client transaction for it, a search that grew
 * with the load until the pool fell behind. Keep-alives are answered on the selector thread, as the
 * stack did.
 */
final class ConnectionDispatch implements StreamFramer.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionDispatch.class);
  private static final LimitedLog DROPS = new LimitedLog(LOG, 5);

  private final ConnectionOrientedMessageChannel channel;
  private final MessageParser parser;
  private final SIPTransactionStack stack;

  ConnectionDispatch(ConnectionOrientedMessageChannel channel, SIPTransactionStack stack) {
    this.channel = channel;
    this.parser = stack.getMessageParserFactory().createMessageParser(stack);
    this.stack = stack;
  }

  /**
   * Queues the message on its connection's pool thread. The pool is asked for at each message, as
   * the stack does: it is one static of the stack class, shut down and made anew when any stack in
   * the JVM stops, so a pool kept from earlier may be a dead one.
   */
  @Override
  public void message(byte[] head, byte[] body) throws IOException {
    Task task = new Task(head, body);
    try {
      stack.getSelfRoutingThreadpoolExecutor().execute(task);
    } catch (RejectedExecutionException stopped) {
      try { // another stack of this JVM stopped the shared pool just now: the next one is new
        stack.getSelfRoutingThreadpoolExecutor().execute(task);
      } catch (RejectedExecutionException again) {
        throw new IOException("the SIP stack's listener pool is stopped", again);
      }
    }
  }

  @Override
  public void ping() {
    try {
      channel.sendSingleCLRF();
    } catch (Exception e) { // the stack's signature; the connection's next read sees it closed
      LOG.debug("keep-alive pong not sent: {}", e.toString());
    }
  }

  @Override
  public void pong() {
    channel.cancelPingKeepAliveTimeoutTaskIfStarted();
  }

  /** One message, run on the pool thread of its connection. */
  private final class Task implements Runnable, ThreadAffinityIdentifier {
    private final byte[] head;
    private final byte[] body;

    Task(byte[] head, byte[] body) {
      this.head = head;
      this.body = body;
    }

    @Override
    public Object getThreadHash() {
      return channel;
    }

    @Override
    public void run() {
      SIPMessage message;
      try {
        message = parser.parseSIPMessage(head, false, false, null);
      } catch (ParseException e) {
        DROPS.info("unparsable SIP message of {} bytes dropped", head.length + body.length);
        return;
      }
      if (message == null) {
        return;
      }
      if (body.length > 0) {
        message.setMessageContent(body);
      }
      try {
        channel.processMessage(message);
      } catch (Exception e) { // the stack's signature: one message fails, the connection stays
        DROPS.warn("SIP message not processed: {}", e.toString());
      }
    }
  }
}
