package io.doorpair.b2b.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.util.ListIterator;
import java.util.Properties;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.address.SipURI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * Where the gateway stack sends a request (jain-sip's {@code ROUTER_PATH}; created by the stack by
 * name, public only for that): a request with a Route set follows it (in-dialog requests through
 * the portal carry its Record-Route); otherwise a request sent on the portal leg (top Via over TLS)
 * goes to the portal SIP server, and one for {@code user@DOMAIN} on the internal leg to the
 * internal SIP server; anything else goes where its Request-URI says (in-dialog requests to a door
 * station's contact, the internal server not being on the path).
 */
public final class GatewayRouter implements Router {
  static final String PORTAL_HOP = "io.doorpair.b2b.PORTAL_HOP";
  static final String INTERNAL_HOP = "io.doorpair.b2b.INTERNAL_HOP";
  static final String DOMAIN = "io.doorpair.b2b.DOMAIN";

  private final DefaultRouter fallback;
  private final Hop portal;
  private final Hop internal;
  private final String domain;

  /**
   * For the stack's reflection.
   *
   * @param stack the stack
   * @param outboundProxy unused
   */
  public GatewayRouter(SipStack stack, String outboundProxy) {
    this.fallback = new DefaultRouter(stack, null);
    Properties p = ((SipStackImpl) stack).getConfigurationProperties();
    this.portal = hop(p.getProperty(PORTAL_HOP));
    this.internal = hop(p.getProperty(INTERNAL_HOP));
    this.domain = p.getProperty(DOMAIN, "");
  }

  /** {@code host:port/transport}. */
  private static Hop hop(String text) {
    if (text == null) {
      throw new IllegalStateException("the gateway stack was started without its hops");
    }
    int slash = text.lastIndexOf('/');
    int colon = text.lastIndexOf(':', slash);
    return new HopImpl(
        text.substring(0, colon),
        Integer.parseInt(text.substring(colon + 1, slash)),
        text.substring(slash + 1));
  }

  static String hopText(String host, int port, String transport) {
    return host + ":" + port + "/" + transport;
  }

  @Override
  public Hop getNextHop(Request request) throws SipException {
    ListIterator<?> routes = request.getHeaders(RouteHeader.NAME);
    if (routes != null && routes.hasNext()) {
      return fallback.getNextHop(request);
    }
    ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
    if (via != null && "tls".equalsIgnoreCase(via.getTransport())) {
      return portal;
    }
    if (request.getRequestURI() instanceof SipURI) {
      SipURI uri = (SipURI) request.getRequestURI();
      if (uri.getHost().equalsIgnoreCase(domain)) {
        return internal;
      }
    }
    return fallback.getNextHop(request);
  }

  @Override
  public Hop getOutboundProxy() {
    return null;
  }

  @Override
  @SuppressWarnings({"rawtypes", "deprecation"})
  public ListIterator getNextHops(Request request) {
    return fallback.getNextHops(request);
  }
}
