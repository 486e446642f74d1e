package io.doorpair.welcome.sip;

import java.text.ParseException;
import java.util.Optional;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call the portal brought over this phone's connection: {@code 180 Ringing} at once, then the
 * user's answer ({@code 200} with SDP, established on the caller's ACK), rejection, or the caller's
 * CANCEL ({@code 487}).
 */
final class ReceivedCall extends BaseCall implements IncomingCall {
  private static final Logger LOG = LoggerFactory.getLogger(ReceivedCall.class);

  private final ServerTransaction invite;
  private final String toTag = SipPhone.token();
  private boolean answered;
  private String localSdp;

  ReceivedCall(PhoneContext ctx, ServerTransaction invite, String callId) {
    super(
        ctx,
        callId,
        ((FromHeader) invite.getRequest().getHeader(FromHeader.NAME))
            .getAddress()
            .getURI()
            .toString(),
        CallState.RINGING,
        Optional.empty());
    this.invite = invite;
    this.dialog = invite.getDialog();
    remoteSdp(invite.getRequest());
  }

  /** Sends 180 Ringing. */
  void ring() throws SipException, ParseException, InvalidArgumentException {
    invite.sendResponse(response(Response.RINGING));
  }

  private Response response(int status) throws ParseException {
    Response response = ctx.messages.createResponse(status, invite.getRequest());
    ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(toTag);
    if (status < 300) {
      response.addHeader(ctx.contact());
    }
    return response;
  }

  @Override
  public void answer(Optional<String> sdp) throws SipPhoneException {
    lock.lock();
    try {
      if (answered || state() != CallState.RINGING) {
        throw new SipPhoneException("bad_state", 0, "the call no longer rings");
      }
      String body = sdp.orElseGet(() -> Sdp.minimal(ctx.localAddress(), 40000));
      Response ok = response(Response.OK);
      ok.setContent(body, ctx.headers.createContentTypeHeader("application", "sdp"));
      invite.sendResponse(ok);
      answered = true;
      localSdp = body;
      if (dialog == null) {
        dialog = invite.getDialog();
      }
    } catch (SipException | ParseException | InvalidArgumentException e) {
      throw new SipPhoneException("io", 0, "200 OK not sent: " + e.getMessage());
    } finally {
      lock.unlock();
    }
    LOG.info("call {} from {} answered", callId(), remoteParty());
  }

  /** The caller's ACK of our 200. */
  void acknowledged() {
    lock.lock();
    boolean ok;
    try {
      ok = answered;
    } finally {
      lock.unlock();
    }
    if (ok) {
      moveTo(CallState.ESTABLISHED, "");
    }
  }

  /** The SDP sent in the 200 (for a re-INVITE). */
  Optional<String> localSdp() {
    lock.lock();
    try {
      return Optional.ofNullable(localSdp);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void reject(int status) throws SipPhoneException {
    if (status < 400 || status > 699) {
      throw new IllegalArgumentException("a rejection is a status of 400-699");
    }
    lock.lock();
    try {
      if (answered || state() != CallState.RINGING) {
        throw new SipPhoneException("bad_state", 0, "the call no longer rings");
      }
      invite.sendResponse(response(status));
    } catch (SipException | ParseException | InvalidArgumentException e) {
      throw new SipPhoneException("io", 0, status + " not sent: " + e.getMessage());
    } finally {
      lock.unlock();
    }
    moveTo(CallState.ENDED, "rejected here " + status);
  }

  /** The caller cancelled: 487 to the INVITE (the CANCEL itself was answered 200). */
  void cancelled() {
    lock.lock();
    try {
      if (!answered) {
        invite.sendResponse(response(Response.REQUEST_TERMINATED));
      }
    } catch (SipException | ParseException | InvalidArgumentException e) {
      LOG.debug("487 of call {} not sent: {}", callId(), e.getMessage());
    } finally {
      lock.unlock();
    }
    moveTo(CallState.ENDED, "cancelled by the caller");
  }

  @Override
  public void useCredentials(GatewayCredentials credentials) {
    useCredentialsFor(java.util.Objects.requireNonNull(credentials, "credentials"));
  }

  @Override
  public void hangUp() {
    CallState now = state();
    boolean wasAnswered;
    lock.lock();
    try {
      wasAnswered = answered;
    } finally {
      lock.unlock();
    }
    if (now == CallState.ENDED) {
      return;
    }
    if (now == CallState.ESTABLISHED || wasAnswered) {
      bye("hung up here");
      return;
    }
    try {
      reject(Response.DECLINE);
    } catch (SipPhoneException e) {
      LOG.debug("decline of call {}: {}", callId(), e.getMessage());
    }
  }
}
