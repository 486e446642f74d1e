package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.HopImpl;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

/**
 * The stack's router ({@code javax.sip.ROUTER_PATH}): every request the proxy sends carries the
 * flow it must go out on ({@link #sendOver}), and that flow's address is the next hop, where the
 * stack finds the cached connection the client opened. A request without one is never routed: the
 * stack's default router would dial the Request-URI or the Route (a client's private address).
 *
 * <p>Public only because the stack creates it by reflection; not an API.
 */
public final class FlowRouter implements Router {
  /** For the stack's reflection. */
  public FlowRouter(SipStack stack, String outboundProxy) {
    // nothing: hops come from the requests themselves
  }

  /** Marks {@code request} to go out over {@code flow} ({@code tls:<ip>:<port>}). */
  static void sendOver(Request request, String flow) {
    ((SIPMessage) request).setApplicationData(new Flow(flow));
  }

  @Override
  public Hop getNextHop(Request request) throws SipException {
    Optional<Hop> hop = hop(request);
    if (hop.isEmpty()) {
      throw new SipException("no flow to send " + request.getMethod() + " over");
    }
    return hop.get();
  }

  private static Optional<Hop> hop(Request request) {
    if (!(request instanceof SIPMessage)
        || !(((SIPMessage) request).getApplicationData() instanceof Flow)) {
      return Optional.empty();
    }
    String flow = ((Flow) ((SIPMessage) request).getApplicationData()).name;
    int first = flow.indexOf(':');
    int last = flow.lastIndexOf(':');
    if (first < 0 || last <= first) {
      return Optional.empty();
    }
    String transport = flow.substring(0, first);
    String host = flow.substring(first + 1, last);
    int port;
    try {
      port = Integer.parseInt(flow.substring(last + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(new HopImpl(host, port, transport.toUpperCase(java.util.Locale.ROOT)));
  }

  @Override
  public Hop getOutboundProxy() {
    return null;
  }

  @Override
  @SuppressWarnings({"rawtypes", "deprecation"})
  public ListIterator getNextHops(Request request) {
    return hop(request).map(List::of).orElse(List.of()).listIterator();
  }

  /** The application-data mark: the flow a request goes out on. */
  private record Flow(String name) {}
}
