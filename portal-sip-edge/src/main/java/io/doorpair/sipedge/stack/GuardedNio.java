package io.doorpair.sipedge.stack;

import gov.nist.core.HostPort;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.HandshakeCompletedListenerImpl;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.NioMessageProcessorFactory;
import gov.nist.javax.sip.stack.NioTcpMessageChannel;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.NioTlsMessageChannel;
import gov.nist.javax.sip.stack.NioTlsMessageProcessor;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.doorpair.sipedge.logging.LimitedLog;
import io.doorpair.sipedge.metrics.EdgeObserver;
import io.doorpair.sipedge.metrics.HandshakeFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's NIO message processors with seven additions on TLS. (1) A handshake deadline:
 * jain-sip's own {@code SSL_HANDSHAKE_TIMEOUT} is only armed on its blocking paths, so under NIO a
 * client that connects and never completes the handshake would hold its connection until the idle
 * reaper (see {@code ../shared/notes/jain-sip.md}). Every accepted TLS connection that has no
 * verified peer certificate {@link StackSettings#handshakeMillis()} after it was accepted is
 * closed. (2) A close hook: the stack raises no event when a connection closes, so the channels
 * made here report their flow ({@code tls:<ip>:<port>}) to {@link #onFlowClosed} when they close,
 * for whatever reason. (3) No dialling out: the stack opens a new TCP/TLS connection when it sends
 * to a flow whose connection has gone (to the client's old, NATed port); {@code connect} is refused
 * here, so a request or response for a gone flow fails with an {@link IOException} instead
 * (counted, see {@link #refusedDials}). Requests go out only over connections the clients opened,
 * but for the links to other SIP nodes ({@link #allowDials}); a link's dial opens one connection
 * (the stack's handler, which dropped the socket it had just opened and so dialled twice, is
 * replaced), and a link connection whose peer certificate the stack did not record is closed
 * ({@link #closeUnverifiedLink}). (4) A cap on open connections: one accepted while {@link
 * StackSettings#maxConnections()} are open is closed at once. (5) A cap per client certificate:
 * when a handshake completes and that certificate already has {@link
 * StackSettings#maxConnectionsPerCertificate()} connections, the new one is closed. (6) {@code
 * TCP_NODELAY} on every accepted connection: with Nagle's algorithm on, a response waits for the
 * acknowledgement of the previous segment (up to the client's next request or its delayed-ACK
 * timer). (7) The peer certificate of an accepted connection is recorded from its engine's session
 * before the first decrypted bytes are parsed: the stack skips it when the client's last handshake
 * message and first request arrive in one read.
 *
 * <p>Public only because the stack creates it by reflection ({@code MESSAGE_PROCESSOR_FACTORY});
 * not an API.
 */
public final class GuardedNio implements MessageProcessorFactory {
  static final String DEADLINE_PROPERTY = "io.doorpair.sipedge.HANDSHAKE_MILLIS";
  static final String MAX_CONNECTIONS_PROPERTY = "io.doorpair.sipedge.MAX_CONNECTIONS";
  static final String MAX_PER_CERTIFICATE_PROPERTY =
      "io.doorpair.sipedge.MAX_CONNECTIONS_PER_CERTIFICATE";
  private static final Logger LOG = LoggerFactory.getLogger(GuardedNio.class);
  private static final LimitedLog REFUSALS = new LimitedLog(LOG, 10);

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
    java.util.Properties properties = ((SipStackImpl) stack).getConfigurationProperties();
    return new Processor(
        address,
        stack,
        port,
        new Limits(
            Long.parseLong(required(properties, DEADLINE_PROPERTY)),
            Integer.parseInt(required(properties, MAX_CONNECTIONS_PROPERTY)),
            Integer.parseInt(required(properties, MAX_PER_CERTIFICATE_PROPERTY)),
            Integer.parseInt(required(properties, "gov.nist.javax.sip.THREAD_POOL_SIZE"))));
  }

  private static String required(java.util.Properties properties, String key) throws IOException {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IOException("stack property " + key + " is not set");
    }
    return value;
  }

  /** The connection limits of one processor. */
  private record Limits(
      long deadlineMillis, int maxConnections, int maxPerCertificate, int threads) {}

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
   * Reports the failed handshakes of the TLS processor of {@code processor}'s listening point to
   * {@code observer}.
   *
   * @return false when {@code processor} was not made by this factory
   */
  static boolean observeWith(MessageProcessor processor, EdgeObserver observer) {
    if (!(processor instanceof Processor)) {
      return false;
    }
    ((Processor) processor).observer = Objects.requireNonNull(observer, "observer");
    return true;
  }

  /**
   * Lets the stack dial an address when {@code permit} says so (the links to the other SIP nodes,
   * {@link NodeLinks}); every other dial stays refused.
   *
   * @return false when {@code processor} was not made by this factory
   */
  static boolean allowDials(MessageProcessor processor, Predicate<InetSocketAddress> permit) {
    if (!(processor instanceof Processor)) {
      return false;
    }
    ((Processor) processor).dialPermit = Objects.requireNonNull(permit, "permit");
    return true;
  }

  /**
   * The verified peer certificate of the open TLS connection {@code flow} ({@code tls:<ip>:<port>})
   * of {@code processor}, accepted or dialled; empty when there is none or its handshake has not
   * completed.
   */
  static Optional<X509Certificate> peerCertificate(MessageProcessor processor, String flow) {
    if (!(processor instanceof Processor)) {
      return Optional.empty();
    }
    for (NioTlsMessageChannel channel : ((Processor) processor).tlsChannels()) {
      String peer = channel.getPeerAddress();
      if (peer == null || !flow.equals("tls:" + peer + ":" + channel.getPeerPort())) {
        continue;
      }
      HandshakeCompletedListenerImpl handshake = channel.getHandshakeCompletedListener();
      Certificate[] chain = handshake == null ? null : handshake.getPeerCertificates();
      if (chain != null && chain.length > 0 && chain[0] instanceof X509Certificate) {
        return Optional.of((X509Certificate) chain[0]);
      }
    }
    return Optional.empty();
  }

  /**
   * Closes this node's dialled connection {@code flow} to another SIP node when the stack has not
   * recorded its peer certificate: at once when {@code handshakeDone} (a response came back over
   * it, so its handshake is over and the certificate will never be recorded), else once it is
   * {@link StackSettings#handshakeMillis()} old. The stack's NIO TLS client records the peer
   * certificate only when it sees the handshake's last step finish, and a step taken by a request
   * wrapped on another thread (the link's own pings, which also drive that client's handshake) can
   * finish it unseen: such a connection works, but its pongs would be refused for as long as it
   * lives. The next ping dials a new connection.
   *
   * @return whether a connection was closed
   */
  static boolean closeUnverifiedLink(
      MessageProcessor processor, String flow, boolean handshakeDone) {
    return processor instanceof Processor
        && ((Processor) processor).closeUnverified(flow, handshakeDone);
  }

  /** The TLS channels the stack dialled (links to other SIP nodes); for tests. */
  static List<NioTlsMessageChannel> dialledChannels(MessageProcessor processor) {
    return processor instanceof Processor ? ((Processor) processor).dialled() : List.of();
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
   * How many TLS connections of {@code processor} are open, and how many of them have Nagle's
   * algorithm on (TCP_NODELAY off; 0 unless something is wrong); {0, 0} when {@code processor} was
   * not made by this factory.
   */
  static int[] noDelayCensus(MessageProcessor processor) {
    if (!(processor instanceof Processor)) {
      return new int[] {0, 0};
    }
    int open = 0;
    int nagle = 0;
    for (Processor.Channel channel : List.copyOf(((Processor) processor).live)) {
      try {
        boolean noDelay = channel.getSocketChannel().socket().getTcpNoDelay();
        open++;
        if (!noDelay) {
          nagle++;
        }
      } catch (java.net.SocketException closed) {
        // closed meanwhile: not open any more
      }
    }
    return new int[] {open, nagle};
  }

  /**
   * How many times {@code processor} refused to open an outgoing connection (the stack asked for
   * one while sending to a gone flow); -1 when {@code processor} was not made by this factory.
   */
  static long refusedDials(MessageProcessor processor) {
    return processor instanceof Processor ? ((Processor) processor).refusedDials.get() : -1;
  }

  /**
   * The value {@code derive} gives for {@code leaf}, remembered on {@code channel} when it is one
   * of ours: the identity of a connection's certificate is parsed once per connection instead of
   * once per request. Recomputed whenever the channel's leaf is another object (a new handshake).
   */
  static <T> T perCertificate(
      Object channel, X509Certificate leaf, Function<X509Certificate, T> derive) {
    if (!(channel instanceof Processor.Channel)) {
      return derive.apply(leaf);
    }
    Processor.Channel ours = (Processor.Channel) channel;
    Memo memo = ours.memo;
    if (memo != null && memo.leaf() == leaf) {
      @SuppressWarnings("unchecked")
      T value = (T) memo.value();
      return value;
    }
    T value = derive.apply(leaf);
    ours.memo = new Memo(leaf, value);
    return value;
  }

  /** A value derived from one certificate object. */
  private record Memo(X509Certificate leaf, Object value) {}

  private static final class Processor extends NioTlsMessageProcessor {
    private final AtomicLong refusedDials = new AtomicLong();
    private final Set<Channel> live = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Channel>> byCertificate = new HashMap<>();
    private final long deadlineMillis;
    private final Limits limits;
    private volatile Consumer<String> flowClosed = flow -> {};
    private volatile EdgeObserver observer = EdgeObserver.NONE;
    private volatile Predicate<InetSocketAddress> dialPermit = address -> false;
    private final Map<SocketChannel, Long> dialledAt = new ConcurrentHashMap<>(); // nanoTime
    private final MessagePool messages; // parses and handles the accepted connections' messages
    private final Set<NioTcpMessageChannel> armed =
        Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    Processor(InetAddress address, SIPTransactionStack stack, int port, Limits limits) {
      super(address, stack, port);
      this.limits = limits;
      this.messages = new MessagePool(limits.threads());
      this.deadlineMillis = limits.deadlineMillis();
      // before start(): the stack's handler forgets every socket it dials (below); the one the
      // superclass made only keeps an idle audit of its own, empty, channel map
      this.nioHandler = new DialKeeping(stack, this);
    }

    /**
     * The channel to dial {@code target} (a link to another SIP node), made as the stack makes it
     * (one per key, cached, under this processor's lock) but of a class that frames and dispatches
     * its stream as the accepted connections do: the stack's own class would parse it with the
     * stack's parser (see {@link StreamFramer}) and hand its messages to threads in turn.
     */
    @Override
    public MessageChannel createMessageChannel(HostPort target) throws IOException {
      return dialled(
          MessageChannel.getKey(target, getTransport()), target.getInetAddress(), target.getPort());
    }

    @Override
    public MessageChannel createMessageChannel(InetAddress host, int port) throws IOException {
      return dialled(MessageChannel.getKey(host, port, getTransport()), host, port);
    }

    private synchronized MessageChannel dialled(String key, InetAddress host, int port)
        throws IOException {
      gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel existing = messageChannels.get(key);
      if (existing != null) {
        return existing;
      }
      Dialled created = new Dialled(host, port, sipStack, this);
      messageChannels.put(key, created);
      if (selector != null) {
        selector.wakeup(); // as the stack does in its blocking mode, its default
      }
      return created;
    }

    /** A channel this node dials to another node: the stack's, with the edge's framing. */
    private static final class Dialled extends NioTlsMessageChannel {
      private final StreamFramer framer; // fed by the selector thread only

      Dialled(InetAddress host, int port, SIPTransactionStack stack, Processor owner)
          throws IOException {
        super(host, port, stack, owner);
        this.isCached = true;
        this.framer = ConnectionDispatch.framer(this, stack, owner.messages);
      }

      @Override
      public void addPlaintextBytes(byte[] bytes) throws Exception {
        framer.add(bytes); // not the stack's parser: see StreamFramer and ConnectionDispatch
      }
    }

    /** Stops the processor, then its message threads (messages already queued still run). */
    @Override
    public void stop() {
      try {
        super.stop();
      } finally {
        messages.close();
      }
    }

    /**
     * The stack's NIO handler, keeping the socket it dialled for a new channel. The stack's own
     * removes that socket from its table as soon as it is opened ({@code openOutgoingConnection}
     * never sets its {@code connected} flag: RestComm/jain-sip#188), so the new channel's first
     * send found no socket, dialled a second connection, closed the first one unused (the peer
     * logged it as a connection without a handshake) and lost the request it was sending.
     */
    private static final class DialKeeping extends gov.nist.javax.sip.stack.NIOHandler {
      DialKeeping(SIPTransactionStack stack, NioTcpMessageProcessor processor) {
        super(stack, processor);
      }

      @Override
      public SocketChannel createOrReuseSocket(InetAddress address, int port) throws IOException {
        SocketChannel socket = super.createOrReuseSocket(address, port);
        if (socket != null && socket.isConnected() && socket.isOpen()) {
          putSocket(makeKey(address, port), socket);
        }
        return socket;
      }
    }

    /**
     * Counts a connection whose handshake just completed with {@code certificate}; closes it when
     * that certificate already has its share of connections.
     */
    void verified(Channel channel, X509Certificate certificate) {
      String key =
          certificate.getIssuerX500Principal().getName() + "#" + certificate.getSerialNumber();
      int count;
      synchronized (byCertificate) {
        if (!live.contains(channel) || channel.certificateKey != null) {
          return; // already closed, or counted on an earlier handshake
        }
        Set<Channel> channels = byCertificate.computeIfAbsent(key, k -> new HashSet<>());
        channels.add(channel);
        channel.certificateKey = key;
        count = channels.size();
      }
      if (count > limits.maxPerCertificate()) {
        channel.overCap = true; // nothing it sends is processed, even before the close below
        REFUSALS.info(
            "closing TLS connection from {}:{}: certificate serial {} already has {} connections",
            channel.getPeerAddress(),
            channel.getPeerPort(),
            certificate.getSerialNumber().toString(16),
            limits.maxPerCertificate());
        // not from inside the engine's handshake step: the stack still uses the channel there
        sipStack.getTimer().schedule(new CloseLater(channel), 0);
      }
    }

    private void forget(Channel channel) {
      synchronized (byCertificate) {
        if (channel.certificateKey != null) {
          Set<Channel> channels = byCertificate.get(channel.certificateKey);
          if (channels != null && channels.remove(channel) && channels.isEmpty()) {
            byCertificate.remove(channel.certificateKey);
          }
        }
      }
    }

    /** See {@link GuardedNio#closeUnverifiedLink}. */
    boolean closeUnverified(String flow, boolean handshakeDone) {
      boolean closed = false;
      for (NioTlsMessageChannel channel : dialled()) {
        String peer = channel.getPeerAddress();
        SocketChannel socket = channel.getSocketChannel();
        if (peer == null
            || socket == null
            || !socket.isOpen()
            || !flow.equals("tls:" + peer + ":" + channel.getPeerPort())) {
          continue;
        }
        HandshakeCompletedListenerImpl handshake = channel.getHandshakeCompletedListener();
        Certificate[] chain = handshake == null ? null : handshake.getPeerCertificates();
        if (chain != null && chain.length > 0) {
          continue;
        }
        Long at = dialledAt.get(socket);
        if (handshakeDone || at == null || System.nanoTime() - at > deadlineMillis * 1_000_000L) {
          REFUSALS.info(
              "closing link connection to {}: {}",
              flow,
              handshakeDone
                  ? "the stack recorded no peer certificate"
                  : "no verified peer certificate within " + deadlineMillis + " ms");
          channel.close();
          closed = true;
        }
      }
      return closed;
    }

    /** The channels the stack dialled (links to other SIP nodes). */
    List<NioTlsMessageChannel> dialled() {
      List<NioTlsMessageChannel> dialled = new java.util.ArrayList<>();
      synchronized (this) {
        for (Object channel : messageChannels.values()) {
          if (channel instanceof NioTlsMessageChannel && !(channel instanceof Channel)) {
            dialled.add((NioTlsMessageChannel) channel);
          }
        }
      }
      return dialled;
    }

    /** The open TLS channels: those clients opened, and those dialled to other SIP nodes. */
    List<NioTlsMessageChannel> tlsChannels() {
      List<NioTlsMessageChannel> all = new java.util.ArrayList<>(live);
      synchronized (this) {
        for (Object channel : messageChannels.values()) {
          if (channel instanceof NioTlsMessageChannel && !(channel instanceof Channel)) {
            all.add((NioTlsMessageChannel) channel);
          }
        }
      }
      return all;
    }

    /**
     * A dialled channel (a link to another SIP node: the stack makes those itself, not through
     * {@link #createMessageChannel}) reports its flow as closed when the stack drops it.
     */
    @Override
    protected synchronized void remove(
        gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel channel) {
      super.remove(channel);
      if (channel instanceof NioTcpMessageChannel && !(channel instanceof Channel)) {
        SocketChannel socket = ((NioTcpMessageChannel) channel).getSocketChannel();
        if (socket != null) {
          dialledAt.remove(socket);
        }
      }
      if (!(channel instanceof Channel) && channel.getPeerAddress() != null) {
        String flow = "tls:" + channel.getPeerAddress() + ":" + channel.getPeerPort();
        try {
          flowClosed.accept(flow);
        } catch (RuntimeException e) {
          LOG.warn("flow-closed listener failed for {}: {}", flow, e.toString());
        }
      }
    }

    /**
     * Never dials, but for what {@link #allowDials} permits (a link to another SIP node): otherwise
     * the stack calls this only to reach a flow that is gone.
     */
    @Override
    public SocketChannel connect(InetSocketAddress address, InetAddress localAddress, int timeout)
        throws IOException {
      if (dialPermit.test(address)) {
        SocketChannel dialled = super.connect(address, localAddress, timeout);
        dialled.socket().setTcpNoDelay(true);
        dialledAt.keySet().removeIf(socket -> !socket.isOpen());
        dialledAt.put(dialled, System.nanoTime());
        return dialled;
      }
      refusedDials.incrementAndGet();
      REFUSALS.info(
          "refused to dial {}: requests go out only over connections clients opened", address);
      throw new ConnectException("dialling out is refused (" + address + ")");
    }

    @Override
    public NioTcpMessageChannel createMessageChannel(
        NioTcpMessageProcessor processor, SocketChannel socket) throws IOException {
      NioTcpMessageChannel channel;
      channel = nioHandler.getMessageChannel(socket);
      if (channel == null) {
        if (live.size() >= limits.maxConnections()) {
          REFUSALS.warn(
              "refusing TLS connection from {}: {} connections are open (the cap)",
              socket.socket().getRemoteSocketAddress(),
              live.size());
          socket.close();
          throw new IOException("connection cap reached");
        }
        // Nagle would hold each response until the client's next segment acknowledges the last
        // one: SIP over TLS writes small records that must go out at once
        socket.socket().setTcpNoDelay(true);
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
      private final AtomicBoolean handshakeReported = new AtomicBoolean();
      private String certificateKey; // guarded by owner.byCertificate
      private volatile boolean overCap;
      private volatile Memo memo;
      private final StreamFramer framer; // fed by the selector thread only

      Channel(NioTcpMessageProcessor processor, SocketChannel socket, Processor owner)
          throws IOException {
        super(processor, socket); // runs init(), which installs the handshake listener below
        this.owner = owner;
        this.framer = ConnectionDispatch.framer(this, processor.getSIPStack(), owner.messages);
      }

      /**
       * Installs a {@link CountingListener} whatever the stack hands in: the stack stores the peer
       * certificates in this listener when the handshake completes, which is where they are
       * counted. Called from the super constructor (no field of this class is set yet).
       */
      @Override
      public void setHandshakeCompletedListener(HandshakeCompletedListener listener) {
        super.setHandshakeCompletedListener(
            listener instanceof CountingListener
                ? listener
                : new CountingListener(this, getSocketChannel()));
      }

      void peerVerified(Certificate[] chain) {
        if (owner != null
            && chain != null
            && chain.length > 0
            && chain[0] instanceof X509Certificate) {
          owner.verified(this, (X509Certificate) chain[0]);
        }
      }

      /**
       * Decrypts what the client sent; an exception before the handshake completed is a failed
       * handshake (the stack closes the connection), reported once with its reason.
       */
      @Override
      protected void addBytes(byte[] bytes) throws Exception {
        try {
          UnwrapScratch.run(() -> super.addBytes(bytes));
        } catch (Exception e) {
          if (owner != null
              && !isHandshakeCompleted()
              && handshakeReported.compareAndSet(false, true)) {
            owner.observer.handshakeFailed(HandshakeFailure.classify(e));
          }
          throw e;
        }
      }

      /** The selector thread's scratch buffer inside a read (see {@link UnwrapScratch}). */
      @Override
      public ByteBuffer prepareAppDataBuffer() {
        ByteBuffer scratch = UnwrapScratch.app(super::prepareAppDataBuffer);
        return scratch != null ? scratch : super.prepareAppDataBuffer();
      }

      /** The selector thread's scratch buffer inside a read (see {@link UnwrapScratch}). */
      @Override
      public ByteBuffer prepareEncryptedDataBuffer() {
        ByteBuffer scratch = UnwrapScratch.net(super::prepareEncryptedDataBuffer);
        return scratch != null ? scratch : super.prepareEncryptedDataBuffer();
      }

      /**
       * Records the peer certificate before the first decrypted bytes reach the SIP parser. The
       * stack copies it out of the engine's session only where it sees the handshake finish with
       * nothing left to read; when the client's last handshake message and its first request arrive
       * in one read (TLS 1.3: Finished and the first REGISTER often leave together), it went on to
       * the request without recording it, and the request's identity check found no certificate
       * ({@code 403}; the connection uncounted by the per-certificate cap and missed by a
       * revocation's close). Application data is decrypted only after the handshake completed, so
       * this connection's own engine session holds the chain its trust manager verified (or,
       * resumed, the one verified when the session was made; revocation is checked per request). A
       * session without a peer records nothing: the request gets {@code 403} and the handshake
       * deadline closes the connection.
       */
      @Override
      public void addPlaintextBytes(byte[] bytes) throws Exception {
        HandshakeCompletedListenerImpl handshake = getHandshakeCompletedListener();
        if (handshake != null && handshake.getPeerCertificates() == null) {
          recordFromEngine(handshake);
        }
        framer.add(bytes); // not the stack's parser: see StreamFramer and ConnectionDispatch
      }

      private void recordFromEngine(HandshakeCompletedListenerImpl handshake) {
        Optional<SSLSession> session = EngineSessions.of(this);
        if (session.isEmpty()) {
          return;
        }
        Certificate[] chain;
        try {
          chain = session.get().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
          return;
        }
        setHandshakeCompleted(true);
        handshake.setLocalCertificates(session.get().getLocalCertificates());
        handshake.setCipherSuite(session.get().getCipherSuite());
        handshake.setPeerCertificates(chain); // counts it for the per-certificate cap
      }

      /**
       * Drops the messages of a connection over its certificate's cap (it is being closed), and
       * responses that match no client transaction (but a node link's pong, which is sent without
       * one): the edge relays only responses of its own client transactions, and for each unmatched
       * response the stack searched every client transaction, a cost any client could multiply by
       * sending responses with made-up branches.
       */
      @Override
      public void processMessage(SIPMessage message) throws Exception {
        if (overCap || (message instanceof SIPResponse && stray((SIPResponse) message))) {
          return;
        }
        super.processMessage(message);
      }

      private boolean stray(SIPResponse response) {
        if (response.getTopmostVia() == null
            || response.getFrom() == null
            || response.getCSeq() == null
            || response.getCallId() == null) {
          return false; // malformed: the stack drops it before any search
        }
        // a pong never comes this way: pings go out over the links this node dialled, which are
        // the stack's own channels
        return getSIPStack().findTransaction(response.getTransactionId(), false) == null;
      }

      @Override
      protected void close(boolean removeSocket, boolean stopKeepAliveTask) {
        super.close(removeSocket, stopKeepAliveTask);
        owner.live.remove(this);
        owner.forget(this);
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

    /** The stack's handshake listener, telling its channel when the peer chain is known. */
    private static final class CountingListener extends HandshakeCompletedListenerImpl {
      private final Channel channel;

      CountingListener(Channel channel, SocketChannel socket) {
        super(channel, socket);
        this.channel = channel;
      }

      @Override
      public void setPeerCertificates(Certificate[] peerCertificates) {
        super.setPeerCertificates(peerCertificates);
        channel.peerVerified(peerCertificates);
      }
    }

    /** Closes a channel from the stack's timer thread. */
    private static final class CloseLater extends SIPStackTimerTask {
      private final Channel channel;

      CloseLater(Channel channel) {
        this.channel = channel;
      }

      @Override
      public Object getThreadHash() {
        return null;
      }

      @Override
      public void runTask() {
        channel.close();
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
        SocketChannel socket = channel.getSocketChannel();
        if (socket == null || !socket.isOpen()) {
          return; // closed meanwhile (by the peer or by us): nothing to cut
        }
        HandshakeCompletedListenerImpl handshake = channel.getHandshakeCompletedListener();
        if (handshake == null || handshake.getPeerCertificates() == null) {
          if (channel instanceof Channel c && c.handshakeReported.compareAndSet(false, true)) {
            observer.handshakeFailed(HandshakeFailure.TIMEOUT);
          }
          REFUSALS.info(
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
