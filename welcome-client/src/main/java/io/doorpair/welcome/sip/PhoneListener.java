package io.doorpair.welcome.sip;

import java.text.ParseException;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phone stack's listener: REGISTER responses to the {@link Registration}, other responses to
 * the handler of their transaction; requests from the portal: a new INVITE rings a {@link
 * ReceivedCall}, ACK, CANCEL and BYE go to their call, OPTIONS and in-call INFO get {@code 200},
 * anything else {@code 405} (out of a call {@code 481}).
 */
final class PhoneListener implements SipListener {
  private static final Logger LOG = LoggerFactory.getLogger(PhoneListener.class);
  private final PhoneContext ctx;

  PhoneListener(PhoneContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request request = event.getRequest();
    String method = request.getMethod();
    String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    Optional<BaseCall> call = ctx.call(callId);
    try {
      if (Request.ACK.equals(method)) {
        call.filter(ReceivedCall.class::isInstance)
            .map(ReceivedCall.class::cast)
            .ifPresent(ReceivedCall::acknowledged);
        return;
      }
      ServerTransaction transaction = event.getServerTransaction();
      if (transaction == null) {
        transaction = ctx.provider.getNewServerTransaction(request);
      }
      boolean inDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
      switch (method) {
        case Request.INVITE -> invite(transaction, callId, call, inDialog);
        case Request.CANCEL -> {
          if (call.isPresent() && call.get() instanceof ReceivedCall received) {
            answer(transaction, Response.OK);
            received.cancelled();
          } else {
            answer(transaction, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
          }
        }
        case Request.BYE -> {
          answer(
              transaction,
              call.isPresent() ? Response.OK : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
          call.ifPresent(BaseCall::remoteBye);
        }
        case Request.OPTIONS -> answer(transaction, Response.OK);
        case Request.INFO ->
            answer(
                transaction,
                call.isPresent() ? Response.OK : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
        default -> answer(transaction, Response.METHOD_NOT_ALLOWED);
      }
    } catch (TransactionAlreadyExistsException retransmission) {
      LOG.debug("retransmitted {} ignored", method);
    } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
      LOG.warn("could not handle {} {}: {}", method, callId, e.toString());
    }
  }

  private void invite(
      ServerTransaction transaction, String callId, Optional<BaseCall> call, boolean inDialog)
      throws SipException, ParseException, InvalidArgumentException {
    if (inDialog) {
      // a re-INVITE (session refresh): the same SDP again, or 488 when we have none to give
      Optional<String> sdp =
          call.filter(ReceivedCall.class::isInstance)
              .map(ReceivedCall.class::cast)
              .flatMap(ReceivedCall::localSdp);
      if (call.isEmpty()) {
        answer(transaction, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
      } else if (sdp.isEmpty()) {
        answer(transaction, Response.NOT_ACCEPTABLE_HERE);
      } else {
        Response ok = ctx.messages.createResponse(Response.OK, transaction.getRequest());
        ok.addHeader(ctx.contact());
        ok.setContent(sdp.get(), ctx.headers.createContentTypeHeader("application", "sdp"));
        transaction.sendResponse(ok);
      }
      return;
    }
    if (call.isPresent()) {
      answer(transaction, Response.LOOP_DETECTED);
      return;
    }
    ReceivedCall received = new ReceivedCall(ctx, transaction, callId);
    ctx.add(received);
    received.ring();
    LOG.info("call {} from {} rings", callId, received.remoteParty());
    try {
      ctx.listener.ringing(received);
    } catch (RuntimeException e) {
      LOG.warn("the call listener failed on ringing: {}", e.toString());
    }
  }

  private void answer(ServerTransaction transaction, int status)
      throws SipException, ParseException, InvalidArgumentException {
    transaction.sendResponse(ctx.messages.createResponse(status, transaction.getRequest()));
  }

  @Override
  public void processResponse(ResponseEvent event) {
    ctx.registration.onResponse(event);
    ClientTransaction transaction = event.getClientTransaction();
    if (transaction != null && transaction.getApplicationData() instanceof ResponseHandler h) {
      h.onResponse(event);
    }
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    if (event.isServerTransaction()) {
      return;
    }
    ClientTransaction transaction = event.getClientTransaction();
    ctx.registration.onTimeout(transaction);
    if (transaction != null && transaction.getApplicationData() instanceof ResponseHandler h) {
      h.onTimeout();
    }
  }

  @Override
  public void processIOException(IOExceptionEvent event) {
    LOG.debug("I/O error towards {}:{}", event.getHost(), event.getPort());
  }

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {}

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {
    if (event.getDialog() == null || event.getDialog().getCallId() == null) {
      return;
    }
    ctx.call(event.getDialog().getCallId().getCallId())
        .filter(c -> c.dialog == event.getDialog())
        .ifPresent(BaseCall::dialogTerminated);
  }
}
