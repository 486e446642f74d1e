package io.doorpair.welcome.sip;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call this phone places through the portal, to a gateway's door station ({@code
 * sip:TARGET@DOMAIN}) or any SIP URI the portal routes. A {@code 401}/{@code 407} challenge for the
 * gateway's realm is answered once with its credentials (again only when the gateway says the nonce
 * was stale); a second refusal ends the call with {@code auth_failed}.
 */
final class PlacedCall extends BaseCall implements ResponseHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PlacedCall.class);
  private static final int MAX_AUTH_ATTEMPTS = 2;

  private final SipURI target;
  private final String sdp;
  private Request lastInvite;
  private ClientTransaction inviteTransaction;
  private int authAttempts;
  private boolean provisional;
  private boolean cancelled;

  PlacedCall(
      PhoneContext ctx,
      SipURI target,
      Optional<GatewayCredentials> credentials,
      String callId,
      String sdp) {
    super(ctx, callId, target.toString(), CallState.CALLING, credentials);
    this.target = target;
    this.sdp = sdp;
  }

  /** Sends the first INVITE. */
  void start() throws SipPhoneException {
    try {
      Request invite =
          ctx.messages.createRequest(
              target,
              Request.INVITE,
              ctx.headers.createCallIdHeader(callId()),
              ctx.headers.createCSeqHeader(1L, Request.INVITE),
              ctx.headers.createFromHeader(ctx.self(), SipPhone.token()),
              ctx.headers.createToHeader(ctx.addresses.createAddress(target), null),
              List.of(via()),
              ctx.headers.createMaxForwardsHeader(70));
      invite.addHeader(ctx.contact());
      invite.setContent(sdp, ctx.headers.createContentTypeHeader("application", "sdp"));
      lock.lock();
      try {
        send(invite);
      } finally {
        lock.unlock();
      }
    } catch (ParseException | InvalidArgumentException | SipException e) {
      moveTo(CallState.ENDED, "not sent");
      throw new SipPhoneException("io", 0, "INVITE not sent: " + e.getMessage());
    }
  }

  private ViaHeader via() throws ParseException, InvalidArgumentException {
    javax.sip.ListeningPoint lp = ctx.provider.getListeningPoint("tls");
    ViaHeader via = ctx.headers.createViaHeader(lp.getIPAddress(), lp.getPort(), "tls", null);
    via.setRPort();
    return via;
  }

  private void send(Request invite) throws SipException {
    ClientTransaction transaction = ctx.provider.getNewClientTransaction(invite);
    transaction.setApplicationData(this);
    lastInvite = invite;
    inviteTransaction = transaction;
    dialog = transaction.getDialog();
    transaction.sendRequest();
  }

  @Override
  public void onResponse(ResponseEvent event) {
    Response response = event.getResponse();
    int status = response.getStatusCode();
    String end = null;
    boolean byeNow = false;
    lock.lock();
    try {
      if (event.getClientTransaction() != inviteTransaction) {
        return;
      }
      if (status < 200) {
        provisional = true;
        return;
      }
      if (status < 300) {
        Dialog d = event.getDialog() != null ? event.getDialog() : dialog;
        dialog = d;
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        d.sendAck(d.createAck(cseq));
        byeNow = cancelled;
      } else if ((status == 401 || status == 407) && retryWithCredentials(response)) {
        return;
      } else if (status == 401 || status == 407) {
        end = "auth_failed";
      } else if (cancelled && status == 487) {
        end = "cancelled here";
      } else {
        end = "refused " + status + " " + response.getReasonPhrase();
      }
    } catch (SipException | InvalidArgumentException e) {
      end = "ACK not sent: " + e.getMessage();
    } finally {
      lock.unlock();
    }
    if (end != null) {
      moveTo(CallState.ENDED, end);
      return;
    }
    remoteSdp(response);
    if (byeNow) {
      bye("cancelled here");
    } else {
      LOG.info("call {} to {} answered", callId(), remoteParty());
      moveTo(CallState.ESTABLISHED, "");
    }
  }

  /** Sends the INVITE again with credentials; false when this challenge is not to be answered. */
  private boolean retryWithCredentials(Response challenge) {
    Optional<GatewayCredentials> account = credentials();
    if (account.isEmpty() || cancelled || authAttempts >= MAX_AUTH_ATTEMPTS) {
      return false;
    }
    if (authAttempts > 0 && !Challenges.stale(challenges(challenge))) {
      return false; // the credentials were refused, not just the nonce
    }
    try {
      Request again = (Request) lastInvite.clone();
      CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
      cseq.setSeqNumber(cseq.getSeqNumber() + 1);
      ((ViaHeader) again.getHeader(ViaHeader.NAME)).removeParameter("branch");
      again.removeHeader(AuthorizationHeader.NAME);
      again.removeHeader(ProxyAuthorizationHeader.NAME);
      Optional<Header> auth = authorization(challenge, account.get(), again);
      if (auth.isEmpty()) {
        LOG.warn("call {}: challenge for another realm than {}", callId(), account.get().domain());
        return false;
      }
      again.addHeader(auth.get());
      authAttempts++;
      send(again);
      return true;
    } catch (ParseException | InvalidArgumentException | SipException e) {
      LOG.warn("call {}: INVITE with credentials not sent: {}", callId(), e.getMessage());
      return false;
    }
  }

  @Override
  public void onTimeout() {
    moveTo(CallState.ENDED, "timeout");
  }

  @Override
  public void hangUp() {
    CallState now = state();
    if (now == CallState.ESTABLISHED) {
      bye("hung up here");
      return;
    }
    if (now != CallState.CALLING) {
      return;
    }
    lock.lock();
    try {
      cancelled = true;
      if (provisional) {
        Request cancel = inviteTransaction.createCancel();
        ctx.provider.getNewClientTransaction(cancel).sendRequest();
      }
    } catch (SipException e) {
      LOG.debug("CANCEL of call {} not sent: {}", callId(), e.getMessage());
    } finally {
      lock.unlock();
    }
    if (!provisional) {
      // no provisional yet: a CANCEL may not go (RFC 3261 §9.1); a late 2xx gets ACK and BYE
      moveTo(CallState.ENDED, "cancelled here");
    }
  }
}
