package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.HandshakeCompletedListenerImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.NioMessageProcessorFactory;
import gov.nist.javax.sip.stack.NioTcpMessageChannel;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.NioTlsMessageChannel;
import gov.nist.javax.sip.stack.NioTlsMessageProcessor;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's NIO message processors with two additions on TLS. (1) A handshake deadline:
 * jain-sip's own {@code SSL_HANDSHAKE_TIMEOUT} is only armed on its blocking paths, so under NIO a
 * client that connects and never completes the handshake would hold its connection until the idle
 * reaper (see {@code ../shared/notes/jain-sip.md}). Every accepted TLS connection that has no
 * verified peer certificate {@link StackSettings#handshakeMillis()} after it was accepted is
 * closed. (2) A close hook: the stack raises no event when a connection closes, so the channels
 * made here report their flow ({@code tls:<ip>:<port>}) to {@link #onFlowClosed} when they close,
 * for whatever reason. (3) No dialling out: the stack opens a new TCP/TLS connection when it sends
 * to a flow whose connection has gone (to the client's old, NATed port); {@code connect} is refused
 * here, so a request or response for a gone flow fails with an {@link IOException} instead
 * (counted, see {@link #refusedDials}). Requests go out only over connections the clients opened.
 *
 * <p>Public only because the stack creates it by reflection ({@code MESSAGE_PROCESSOR_FACTORY});
 * not an API.
 */
public final class GuardedNio implements MessageProcessorFactory {
  static final String DEADLINE_PROPERTY = "io.doorpair.sipedge.HANDSHAKE_MILLIS";
  private static final Logger LOG = LoggerFactory.getLogger(GuardedNio.class);

  /** For the stack's reflection. */
  public GuardedNio() {}

  @Override
  public MessageProcessor createMessageProcessor(
      SIPTransactionStack stack, InetAddress address, int port, String transport)
      throws IOException {
    if (!"TLS".equalsIgnoreCase(transport)) {
      return new NioMessageProcessorFactory()
          .createMessageProcessor(stack, address, port, transport);
    }
    String millis =
        ((SipStackImpl) stack).getConfigurationProperties().getProperty(DEADLINE_PROPERTY);
    if (millis == null) {
      throw new IOException("no handshake deadline configured");
    }
    return new Processor(address, stack, port, Long.parseLong(millis));
  }

  /**
   * Sets who hears of closed flows on the TLS processor of {@code processor}'s listening point.
   *
   * @return false when {@code processor} was not made by this factory
   */
  static boolean onFlowClosed(MessageProcessor processor, Consumer<String> listener) {
    if (!(processor instanceof Processor)) {
      return false;
    }
    ((Processor) processor).flowClosed = Objects.requireNonNull(listener, "listener");
    return true;
  }

  /**
   * Closes every open TLS connection of {@code processor} whose verified client certificate
   * satisfies {@code condition} (e.g. revoked since the handshake).
   *
   * @return how many connections were closed
   */
  static int closeWhere(MessageProcessor processor, Predicate<X509Certificate> condition) {
    if (!(processor instanceof Processor)) {
      return 0;
    }
    int closed = 0;
    for (Processor.Channel channel : List.copyOf(((Processor) processor).live)) {
      HandshakeCompletedListenerImpl handshake = channel.getHandshakeCompletedListener();
      Certificate[] chain = handshake == null ? null : handshake.getPeerCertificates();
      if (chain != null
          && chain.length > 0
          && chain[0] instanceof X509Certificate
          && condition.test((X509Certificate) chain[0])) {
        channel.close();
        closed++;
      }
    }
    return closed;
  }

  /**
   * How many times {@code processor} refused to open an outgoing connection (the stack asked for
   * one while sending to a gone flow); -1 when {@code processor} was not made by this factory.
   */
  static long refusedDials(MessageProcessor processor) {
    return processor instanceof Processor ? ((Processor) processor).refusedDials.get() : -1;
  }

  private static final class Processor extends NioTlsMessageProcessor {
    private final AtomicLong refusedDials = new AtomicLong();
    private final Set<Channel> live = ConcurrentHashMap.newKeySet();
    private final long deadlineMillis;
    private volatile Consumer<String> flowClosed = flow -> {};
    private final Set<NioTcpMessageChannel> armed =
        Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    Processor(InetAddress address, SIPTransactionStack stack, int port, long deadlineMillis) {
      super(address, stack, port);
      this.deadlineMillis = deadlineMillis;
    }

    /** Never dials: the stack calls this only to reach a flow that is gone. */
    @Override
    public SocketChannel connect(InetSocketAddress address, InetAddress localAddress, int timeout)
        throws IOException {
      refusedDials.incrementAndGet();
      LOG.info("refused to dial {}: requests go out only over connections clients opened", address);
      throw new ConnectException("dialling out is refused (" + address + ")");
    }

    @Override
    public NioTcpMessageChannel createMessageChannel(
        NioTcpMessageProcessor processor, SocketChannel socket) throws IOException {
      NioTcpMessageChannel channel;
      channel = nioHandler.getMessageChannel(socket);
      if (channel == null) {
        Channel created = new Channel(processor, socket, this);
        live.add(created);
        channel = created;
        nioHandler.putMessageChannel(socket, channel);
      }
      if (channel instanceof NioTlsMessageChannel && armed.add(channel)) {
        sipStack.getTimer().schedule(new Deadline((NioTlsMessageChannel) channel), deadlineMillis);
      }
      return channel;
    }

    private static final class Channel extends NioTlsMessageChannel {
      private final Processor owner;
      private final AtomicBoolean reported = new AtomicBoolean();

      Channel(NioTcpMessageProcessor processor, SocketChannel socket, Processor owner)
          throws IOException {
        super(processor, socket);
        this.owner = owner;
      }

      @Override
      protected void close(boolean removeSocket, boolean stopKeepAliveTask) {
        super.close(removeSocket, stopKeepAliveTask);
        owner.live.remove(this);
        InetAddress peer = getPeerInetAddress();
        if (peer != null && reported.compareAndSet(false, true)) {
          String flow = "tls:" + peer.getHostAddress() + ":" + getPeerPort();
          try {
            owner.flowClosed.accept(flow);
          } catch (RuntimeException e) {
            LOG.warn("flow-closed listener failed for {}: {}", flow, e.toString());
          }
        }
      }
    }

    private final class Deadline extends SIPStackTimerTask {
      private final NioTlsMessageChannel channel;

      Deadline(NioTlsMessageChannel channel) {
        this.channel = channel;
      }

      @Override
      public Object getThreadHash() {
        return null;
      }

      @Override
      public void runTask() {
        armed.remove(channel);
        HandshakeCompletedListenerImpl handshake = channel.getHandshakeCompletedListener();
        if (handshake == null || handshake.getPeerCertificates() == null) {
          LOG.info(
              "closing TLS connection from {}:{}: no handshake within {} ms",
              channel.getPeerAddress(),
              channel.getPeerPort(),
              deadlineMillis);
          channel.close();
        }
      }
    }
  }
}
