package io.doorpair.b2b.stack;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's listener: responses to our REGISTERs go to the {@link PortalRegistration} and the
 * {@link InternalRegistration} (each takes only its own transactions), everything about calls to
 * the {@link CallBridge}; OPTIONS is answered {@code 200}, a REGISTER to us {@code 480}. It is a
 * {@link SipListenerExt} so that the stack tells it when a 2xx it sent was never ACKed (RFC 3261
 * §13.3.1.4): the bridge then hangs up both legs (a plain listener's dialog is only deleted, and
 * the other leg would stay up).
 */
final class GatewayListener implements SipListenerExt {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayListener.class);
  private final PortalRegistration registration;
  private final InternalRegistration internal;
  private final CallBridge bridge;
  private final MessageFactory messages = new gov.nist.javax.sip.message.MessageFactoryImpl();

  GatewayListener(
      PortalRegistration registration, InternalRegistration internal, CallBridge bridge) {
    this.registration = registration;
    this.internal = internal;
    this.bridge = bridge;
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request request = event.getRequest();
    try {
      if (bridge.request(event)) {
        return;
      }
    } catch (RuntimeException e) {
      LOG.warn("{} not bridged: {}", request.getMethod(), e.toString());
      return;
    }
    try {
      ServerTransaction transaction = event.getServerTransaction();
      if (transaction == null) {
        transaction = ((SipProvider) event.getSource()).getNewServerTransaction(request);
      }
      int status =
          Request.OPTIONS.equals(request.getMethod())
              ? Response.OK
              : Response.TEMPORARILY_UNAVAILABLE;
      transaction.sendResponse(messages.createResponse(status, request));
    } catch (SipException | java.text.ParseException | RuntimeException e) {
      LOG.debug("could not answer {}: {}", request.getMethod(), e.toString());
    } catch (javax.sip.InvalidArgumentException e) {
      LOG.debug("could not answer {}: {}", request.getMethod(), e.toString());
    }
  }

  @Override
  public void processResponse(ResponseEvent event) {
    registration.onResponse(event);
    internal.onResponse(event);
    try {
      bridge.response(event);
    } catch (RuntimeException e) {
      LOG.warn("response not bridged: {}", e.toString());
    }
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    if (event.isServerTransaction()) {
      return;
    }
    registration.onTimeout(event.getClientTransaction());
    internal.onTimeout(event.getClientTransaction());
    bridge.timeout(event.getClientTransaction());
  }

  @Override
  public void processIOException(IOExceptionEvent event) {
    LOG.debug("I/O error towards {}:{}", event.getHost(), event.getPort());
  }

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {}

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {}

  @Override
  public void processDialogTimeout(DialogTimeoutEvent event) {
    try {
      bridge.dialogTimeout(event.getDialog(), String.valueOf(event.getReason()));
    } catch (RuntimeException e) {
      LOG.warn("dialog timeout not handled: {}", e.toString());
    }
  }
}
