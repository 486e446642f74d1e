package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.doorpair.sipedge.logging.LimitedLog;
import java.io.IOException;
import java.text.ParseException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a connection's framed messages go: each is parsed and handed to the stack on the
 * processor's {@link MessagePool}, off the selector thread, one at a time and in the order they
 * arrived (a serial queue per connection, drained by whichever pool thread is free).
 *
 * <p>jain-sip's own dispatch gave each message to the next pool thread in turn: a 180 and a 200
 * read together ran at once on two threads, and when the 200 ended the client transaction first,
 * the 180 found none and the stack searched every client transaction for it, a search that grew
 * with the load until the pool fell behind.
 *
 * <p>Bounds: a connection with {@value #MAX_QUEUED} messages not yet handled sends faster than the
 * server can follow and is closed (its next read fails); a parsed message whose Content-Length is
 * not the body the framer cut closes the connection too, since the two would then disagree on where
 * the next message starts (a relayed copy would carry the parser's length).
 */
final class ConnectionDispatch implements StreamFramer.Sink {
  /** Messages one connection may have waiting to be handled. */
  static final int MAX_QUEUED = 1000;

  /** Messages handled in one turn before the connection gives its thread to the next one. */
  private static final int TURN = 16;

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionDispatch.class);
  private static final LimitedLog DROPS = new LimitedLog(LOG, 5);

  private final ConnectionOrientedMessageChannel channel;
  private final MessageParser parser;
  private final MessagePool pool;
  private final ArrayDeque<Task> queue = new ArrayDeque<>(); // guarded by this
  private boolean draining; // guarded by this: a drain task is queued or running

  /**
   * The framer of {@code channel}'s stream, within the stack's message size, handing its messages
   * to a dispatch on {@code pool}.
   */
  static StreamFramer framer(
      ConnectionOrientedMessageChannel channel, SIPTransactionStack stack, MessagePool pool) {
    int max = stack.getMaxMessageSize();
    return new StreamFramer(
        max > 0 ? max : StackSettings.DEFAULT.maxMessageSize(),
        new ConnectionDispatch(channel, stack, pool));
  }

  ConnectionDispatch(
      ConnectionOrientedMessageChannel channel, SIPTransactionStack stack, MessagePool pool) {
    this.channel = channel;
    this.parser = stack.getMessageParserFactory().createMessageParser(stack);
    this.pool = pool;
  }

  @Override
  public void message(byte[] head, byte[] body) throws IOException {
    synchronized (this) {
      if (queue.size() >= MAX_QUEUED) {
        throw new IOException(MAX_QUEUED + " messages of this connection wait to be handled");
      }
      queue.add(new Task(head, body));
      if (draining) {
        return;
      }
      draining = true;
    }
    submitDrain();
  }

  private void submitDrain() throws IOException {
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException stopped) {
      synchronized (this) {
        queue.clear();
        draining = false;
      }
      throw new IOException("the SIP server is stopping", stopped);
    }
  }

  private void drain() {
    for (int n = 0; n < TURN; n++) {
      Task task;
      synchronized (this) {
        task = queue.poll();
        if (task == null) {
          draining = false;
          return;
        }
      }
      task.run();
    }
    try {
      submitDrain(); // more are waiting: after the other connections' turns
    } catch (IOException stopping) {
      LOG.debug("messages of a connection dropped: {}", stopping.getMessage());
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

  /** One message. */
  private final class Task {
    private final byte[] head;
    private final byte[] body;

    Task(byte[] head, byte[] body) {
      this.head = head;
      this.body = body;
    }

    void run() {
      SIPMessage message;
      try {
        message = parser.parseSIPMessage(head, false, false, null);
      } catch (ParseException | RuntimeException e) {
        DROPS.info("unparsable SIP message of {} bytes dropped", head.length + body.length);
        return;
      }
      if (message == null) {
        return;
      }
      ContentLength length = (ContentLength) message.getContentLength();
      if ((length == null ? 0 : length.getContentLength()) != body.length) {
        DROPS.warn(
            "connection closed: its message's Content-Length is not the {} bytes framed",
            body.length);
        channel.close();
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
