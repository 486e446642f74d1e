package io.doorpair.b2b.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import io.doorpair.b2b.localsip.FloodGuard;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.SipStack;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal server stack's {@code SIP_MESSAGE_VALVE}: every request from the LAN passes the
 * {@link FloodGuard} before a transaction, a digest check or the listener; one over the limits is
 * answered {@code 503} with {@code Retry-After}, or dropped (UDP, past the answered refusals).
 * Responses count too and are dropped over the limits. The stack makes the valve by its class name,
 * so the guard is handed over through {@link #register} under the stack's (unique) name.
 */
public final class FloodValve implements SIPMessageValve {
  private static final Logger LOG = LoggerFactory.getLogger(FloodValve.class);
  private static final Map<String, FloodGuard> PENDING = new ConcurrentHashMap<>();

  private volatile FloodGuard guard;

  /** Made by the stack. */
  public FloodValve() {}

  static void register(String stackName, FloodGuard guard) {
    PENDING.put(stackName, guard);
  }

  static void unregister(String stackName) {
    PENDING.remove(stackName);
  }

  @Override
  public void init(SipStack stack) {
    guard = PENDING.remove(((SipStackImpl) stack).getStackName());
    if (guard == null) {
      throw new IllegalStateException("no flood guard for " + stack.getStackName());
    }
  }

  @Override
  public boolean processRequest(SIPRequest request, MessageChannel channel) {
    FloodGuard g = guard;
    if (g == null) {
      return false;
    }
    switch (admit(g, channel)) {
      case PASS:
        return true;
      case DROP:
        return false;
      default:
        if (!Request.ACK.equals(request.getMethod())) {
          busy(request, channel);
        }
        return false;
    }
  }

  private static void busy(SIPRequest request, MessageChannel channel) {
    try {
      SIPResponse response = request.createResponse(Response.SERVICE_UNAVAILABLE);
      gov.nist.javax.sip.header.RetryAfter retry = new gov.nist.javax.sip.header.RetryAfter();
      retry.setRetryAfter(FloodGuard.RETRY_AFTER_SECONDS);
      response.setHeader((RetryAfterHeader) retry);
      channel.sendMessage(response);
    } catch (java.io.IOException | javax.sip.InvalidArgumentException | RuntimeException e) {
      LOG.debug("503 not sent: {}", e.toString());
    }
  }

  private static FloodGuard.Decision admit(FloodGuard g, MessageChannel channel) {
    java.net.InetAddress from = channel.getPeerPacketSourceAddress();
    String source = from == null ? String.valueOf(channel.getPeerAddress()) : from.getHostAddress();
    return g.admit(source, "udp".equalsIgnoreCase(channel.getTransport()));
  }

  /** Responses count against their source too; one over the limits is dropped (never answered). */
  @Override
  public boolean processResponse(Response response, MessageChannel channel) {
    FloodGuard g = guard;
    return g != null && admit(g, channel) == FloodGuard.Decision.PASS;
  }

  @Override
  public void destroy() {}
}
