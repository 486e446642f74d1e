package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.HandshakeCompletedListenerImpl;
import gov.nist.javax.sip.stack.NioTlsMessageChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Function;
import javax.sip.message.Request;

/**
 * The client certificate of the connection a request arrived on. One path for every request, ACK
 * and CANCEL and stateless ones included: the request's message channel is the NIO TLS channel it
 * was read from, and its handshake listener holds the peer chain the handshake verified (also on a
 * resumed session, where the trust manager is not called again); when the stack did not record it
 * there, the channel's own engine session does. Never another connection's chain.
 */
final class PeerCertificates {
  private PeerCertificates() {}

  /** The peer's leaf certificate, or empty when the request did not come over our TLS. */
  static Optional<X509Certificate> leaf(Request request) {
    if (!(request instanceof SIPRequest)) {
      return Optional.empty();
    }
    Object channel = ((SIPRequest) request).getMessageChannel();
    if (!(channel instanceof NioTlsMessageChannel)) {
      return Optional.empty();
    }
    HandshakeCompletedListenerImpl handshake =
        ((NioTlsMessageChannel) channel).getHandshakeCompletedListener();
    Certificate[] chain = handshake == null ? null : handshake.getPeerCertificates();
    if (chain == null) {
      // not recorded by the stack (it skips that where the handshake's end shares a read or a
      // step with a message): the request was decrypted, so this connection's own session holds
      // the verified chain (accepted connections record it before parsing, see GuardedNio)
      chain = EngineSessions.peerChain((NioTlsMessageChannel) channel).orElse(null);
    }
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
      return Optional.empty();
    }
    return Optional.of((X509Certificate) chain[0]);
  }

  /**
   * {@code derive} applied to the peer's leaf certificate, computed once per connection (see {@link
   * GuardedNio#perCertificate}); empty when the request did not come over our TLS.
   */
  static <T> Optional<T> derived(Request request, Function<X509Certificate, T> derive) {
    return leaf(request)
        .map(
            leaf ->
                GuardedNio.perCertificate(
                    ((SIPRequest) request).getMessageChannel(), leaf, derive));
  }

  /** The connection the request arrived on, {@code tls:<ip>:<port>}. */
  static String flow(Request request) {
    SIPRequest sip = (SIPRequest) request;
    return "tls:" + sip.getRemoteAddress().getHostAddress() + ":" + sip.getRemotePort();
  }
}
