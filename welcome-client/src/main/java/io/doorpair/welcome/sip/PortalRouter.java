package io.doorpair.welcome.sip;

import gov.nist.javax.sip.stack.HopImpl;
import java.util.List;
import java.util.ListIterator;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

/**
 * The phone's router (jain-sip's {@code ROUTER_PATH}): every request, initial or in a dialog, goes
 * to the portal SIP server over TLS, whatever its Request-URI and Route headers say. The portal is
 * the phone's outbound proxy and its only peer: the phone never dials a contact address (a
 * gateway's or another phone's private address is meaningless from here), and the portal's
 * Record-Route flow tokens take in-dialog requests on from there.
 *
 * <p>jain-sip creates this class by name with the stack's {@code javax.sip.OUTBOUND_PROXY} ({@code
 * host:port/TLS}). Public only for that reflection; not an API.
 */
public final class PortalRouter implements Router {
  private final Hop portal;

  /**
   * For the stack's reflection.
   *
   * @param stack the stack
   * @param outboundProxy {@code host:port/TLS}
   */
  public PortalRouter(SipStack stack, String outboundProxy) {
    if (outboundProxy == null) {
      throw new IllegalStateException("the phone's stack has no portal (OUTBOUND_PROXY)");
    }
    int slash = outboundProxy.lastIndexOf('/');
    int colon = outboundProxy.lastIndexOf(':', slash);
    if (slash < 0 || colon < 0) {
      throw new IllegalStateException("OUTBOUND_PROXY is not host:port/TLS");
    }
    String host = outboundProxy.substring(0, colon);
    int port = Integer.parseInt(outboundProxy.substring(colon + 1, slash));
    this.portal = new HopImpl(host, port, "TLS");
  }

  @Override
  public Hop getNextHop(Request request) {
    return portal;
  }

  @Override
  @Deprecated
  public ListIterator<?> getNextHops(Request request) {
    return List.of(portal).listIterator();
  }

  @Override
  public Hop getOutboundProxy() {
    return portal;
  }
}
