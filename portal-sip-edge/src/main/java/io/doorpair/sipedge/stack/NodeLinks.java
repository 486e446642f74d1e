package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.stack.MessageProcessor;
import io.doorpair.sipedge.admission.NodeCertificates;
import io.doorpair.sipedge.logging.LimitedLog;
import io.doorpair.sipedge.proxy.NodeRoutes;
import io.doorpair.sipedge.registrar.NodeDirectory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's mutual-TLS links to the other SIP nodes (DESIGN §10). Every {@link #period} it lists
 * the running nodes from their heartbeats and sends each an OPTIONS over the link to the address
 * the node announced; the stack opens that connection with this node's certificate (the only
 * connections the edge ever dials: {@link GuardedNio} lets a dial through only from this class's
 * thread and only to an announced address). A link is usable once a {@code 200} to a ping came back
 * over it from a peer whose certificate is a node certificate ({@link NodeCertificates}) announced
 * by a running node's heartbeat, and stays usable while pongs keep coming and the connection stays
 * open: the stack's NIO TLS client may lose the first requests on a new connection ({@code
 * ../shared/notes/jain-sip.md}), so pings warm a link before it carries a call. A link whose
 * connection closes is unusable at once, so calls to that node's devices get {@code 480}
 * immediately instead of waiting. A dialled connection on which the stack recorded no peer
 * certificate (a pong came back without one, or none 10 s after the dial) is closed and dialled
 * again ({@link GuardedNio#closeUnverifiedLink}): the stack's client can finish a handshake without
 * recording it, and such a link would otherwise be refused for as long as it lives.
 */
final class NodeLinks implements NodeRoutes, AutoCloseable {
  /** The Call-ID prefix of the pings (their responses are recognised by it). */
  static final String PING_CALL_ID = "node-link-";

  /** How often the running nodes are listed and pinged. */
  static final Duration PERIOD = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(NodeLinks.class);
  private static final LimitedLog LINES = new LimitedLog(LOG, 10);

  private final NodeDirectory directory;
  private final SipProvider provider;
  private final MessageFactory messages;
  private final HeaderFactory headers;
  private final AddressFactory addresses;
  private final MessageProcessor processor;
  private final InetSocketAddress self;
  private final Duration period;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> flows = new ConcurrentHashMap<>(); // node -> tls:host:port
  private final Map<String, Long> ready = new ConcurrentHashMap<>(); // flow -> last pong (nanos)
  private final Map<String, Boolean> dialable = new ConcurrentHashMap<>(); // "host:port"
  private final ThreadLocal<Boolean> pinging = ThreadLocal.withInitial(() -> false);
  private final ScheduledExecutorService timer;

  NodeLinks(
      NodeDirectory directory,
      SipProvider provider,
      MessageFactory messages,
      HeaderFactory headers,
      AddressFactory addresses,
      MessageProcessor processor,
      InetSocketAddress self,
      Duration period) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.messages = Objects.requireNonNull(messages, "messages");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.addresses = Objects.requireNonNull(addresses, "addresses");
    this.processor = Objects.requireNonNull(processor, "processor");
    this.self = Objects.requireNonNull(self, "self");
    this.period = Objects.requireNonNull(period, "period");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sip-node-links");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts pinging the running nodes every period. */
  void start() {
    timer.scheduleWithFixedDelay(this::round, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the stack may dial {@code address} now: only a ping to an announced node may. */
  boolean mayDial(InetSocketAddress address) {
    return pinging.get()
        && address.getAddress() != null
        && dialable.containsKey(address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  @Override
  public Optional<String> linkTo(String node) {
    String flow = flows.get(node);
    if (flow == null) {
      return Optional.empty();
    }
    Long last = ready.get(flow);
    if (last == null || System.nanoTime() - last > period.toNanos() * 4) {
      return Optional.empty();
    }
    return Optional.of(flow);
  }

  /** A connection closed: if it was a link, the link is unusable until pongs come back. */
  void closed(String flow) {
    if (ready.remove(flow) != null) {
      LINES.info("link {} to another SIP node closed", flow);
    }
  }

  /** Whether {@code response} answers one of our pings (it is then handled here). */
  static boolean isPong(Response response) {
    CallIdHeader callId = (CallIdHeader) response.getHeader(CallIdHeader.NAME);
    CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
    return callId != null
        && cseq != null
        && Request.OPTIONS.equals(cseq.getMethod())
        && callId.getCallId().startsWith(PING_CALL_ID);
  }

  /** A response to a ping: the link it came over works if its peer is a running node. */
  void pong(Response response, String flow) {
    if (response.getStatusCode() != Response.OK || !flows.containsValue(flow)) {
      return;
    }
    Optional<X509Certificate> peer = GuardedNio.peerCertificate(processor, flow);
    if (peer.isEmpty() && GuardedNio.closeUnverifiedLink(processor, flow, true)) {
      return; // the stack lost the peer certificate of a working connection: dialled again
    }
    if (peer.isEmpty()
        || !NodeCertificates.isNode(peer.get())
        || !directory.liveCertificate(NodeCertificates.fingerprint(peer.get()))) {
      LINES.warn("link {} refused: its peer is not a running node's node certificate", flow);
      return;
    }
    if (ready.put(flow, System.nanoTime()) == null) {
      LINES.info("link {} to another SIP node is up", flow);
    }
  }

  private void round() {
    Map<String, String> live;
    try {
      live = directory.liveNodes();
    } catch (RuntimeException e) {
      LINES.warn("nodes not listed: {}", e.getMessage());
      return;
    }
    String me = self.getAddress().getHostAddress() + ":" + self.getPort();
    flows.keySet().retainAll(live.keySet());
    dialable.keySet().retainAll(live.values());
    for (Map.Entry<String, String> node : live.entrySet()) {
      String address = node.getValue();
      if (address.equals(me) || !wellFormed(address)) {
        continue;
      }
      String flow = "tls:" + address;
      flows.put(node.getKey(), flow);
      dialable.put(address, Boolean.TRUE);
      GuardedNio.closeUnverifiedLink(processor, flow, false);
      ping(flow, address);
    }
    ready.keySet().retainAll(List.copyOf(flows.values()));
  }

  private static boolean wellFormed(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || address.indexOf('|') >= 0) {
      return false;
    }
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      return port > 0 && port < 65536;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void ping(String flow, String address) {
    pinging.set(true);
    try {
      int colon = address.lastIndexOf(':');
      SipURI target = addresses.createSipURI(null, address.substring(0, colon));
      target.setPort(Integer.parseInt(address.substring(colon + 1)));
      target.setTransportParam("tls");
      SipURI me = addresses.createSipURI(null, self.getAddress().getHostAddress());
      me.setPort(self.getPort());
      Request ping =
          messages.createRequest(
              target,
              Request.OPTIONS,
              headers.createCallIdHeader(PING_CALL_ID + hex(12)),
              headers.createCSeqHeader(1L, Request.OPTIONS),
              headers.createFromHeader(addresses.createAddress(me), hex(6)),
              headers.createToHeader(addresses.createAddress(target), null),
              List.of(
                  headers.createViaHeader(
                      self.getAddress().getHostAddress(),
                      self.getPort(),
                      "TLS",
                      "z9hG4bK" + hex(8))),
              headers.createMaxForwardsHeader(1));
      FlowRouter.sendOver(ping, flow);
      provider.sendRequest(ping);
    } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
      LINES.info("ping over {} not sent: {}", flow, e.toString());
    } finally {
      pinging.set(false);
    }
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
