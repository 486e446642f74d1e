package io.doorpair.b2b.stack;

import io.doorpair.b2b.access.Sdp;
import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.metrics.B2bObserver;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.digest.DigestChallenge;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A phone's call to a door station or camera, already authorised, bridged to the internal SIP
 * server (B2BUA): an INVITE from {@code ipgw@DOMAIN} (the display name says which portal user) to
 * {@code user@DOMAIN}, answering the server's digest challenge with the b2b password; responses
 * relayed back (18x with SDP as early media, the 2xx ACKed at once with its SDP in the phone's
 * 200); CANCEL and BYE mapped both ways. Without the open-door right the phone's SDP reaches the
 * door without {@code telephone-event}.
 *
 * <p>Bounded in time: a door that does not answer within {@code ring-timeout} is CANCELled and the
 * phone gets {@code 480}; an answered call is hung up (BYE both ways) after {@code
 * max-call-duration}; a 200 the phone never ACKs within the ACK wait (64*T1), and a request relayed
 * in the dialog that finds the other end gone ({@link PeerGone}), hang up both legs.
 */
final class PhoneCall implements BridgedCall {
  private static final Logger LOG = LoggerFactory.getLogger(PhoneCall.class);

  private final SipKit kit;
  private final SipPassword b2bPassword;
  private final CallTimers timers;
  private final ServerTransaction phone;
  private final AppAccount account;
  private final String doorUser;
  private final String phoneTag;
  private final String callId;
  private final String fromTag;
  private long cseq = 1;
  private boolean authenticated;
  private ClientTransaction pending;
  private Request offer;
  private Dialog doorDialog;
  private boolean provisional;
  private boolean cancelWanted;
  private boolean answered;
  private boolean ended;
  private ScheduledFuture<?> ringTimer;
  private ScheduledFuture<?> callTimer;
  private ScheduledFuture<?> ackTimer;
  private boolean ackSeen;

  private final B2bObserver observer;

  PhoneCall(
      B2bObserver observer,
      SipKit kit,
      SipPassword b2bPassword,
      CallTimers timers,
      ServerTransaction phone,
      AppAccount account,
      String doorUser) {
    this.observer = observer;
    this.kit = kit;
    this.b2bPassword = b2bPassword;
    this.timers = timers;
    this.phone = phone;
    this.account = account;
    this.doorUser = doorUser;
    this.phoneTag = kit.token();
    this.callId = kit.internal.getNewCallId().getCallId();
    this.fromTag = kit.token();
  }

  synchronized void start() {
    kit.answer(phone, Response.TRYING, null);
    phone.setApplicationData(this);
    Dialog dialog = phone.getDialog();
    if (dialog != null) {
      dialog.setApplicationData(new Side(this, true));
    }
    try {
      offer = invite(Optional.empty());
      send(offer);
    } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
      LOG.warn(
          "call from {} to {}: INVITE not sent: {}", account.portalUser(), doorUser, e.toString());
      fail(Response.SERVER_INTERNAL_ERROR);
    }
    if (!ended) {
      ringTimer = timers.after(timers.ring(), this::ringExpired);
    }
  }

  /** The door did not answer within the ring timeout: CANCEL towards it, 480 to the phone. */
  private synchronized void ringExpired() {
    if (answered || ended) {
      return;
    }
    LOG.info(
        "call from {} to {}: no answer within {} s",
        account.portalUser(),
        doorUser,
        timers.ring().toSeconds());
    cancelWanted = true;
    if (provisional && pending != null) {
      kit.cancel(kit.internal, pending);
    }
    fail(Response.TEMPORARILY_UNAVAILABLE);
  }

  /** The answered call reached the maximum duration: BYE both ways. */
  private synchronized void maxDurationReached() {
    if (ended) {
      return;
    }
    LOG.info(
        "call from {} to {} hung up after the maximum duration of {} s",
        account.portalUser(),
        doorUser,
        timers.maxCall().toSeconds());
    hangUpBoth();
  }

  private void hangUpBoth() {
    kit.inDialog(phone.getDialog(), Request.BYE, null, this);
    kit.inDialog(doorDialog, Request.BYE, null, this);
    end();
  }

  @Override
  public synchronized void acked(Dialog dialog) {
    if (dialog == phone.getDialog()) {
      ackSeen = true;
      CallTimers.cancel(ackTimer);
    }
  }

  /**
   * Our 200 to the phone waited 64*T1 (the ACK wait) for its ACK (RFC 3261 §13.3.1.4): the session
   * ends.
   */
  private synchronized void ackMissing() {
    if (ended || ackSeen) {
      return;
    }
    LOG.info("call with {}: the 200 to the phone was never ACKed, hanging up both legs", doorUser);
    hangUpBoth();
  }

  @Override
  public synchronized void dialogTimeout(Dialog dialog) {
    if (ended) {
      kit.endDialog(dialog, this);
      return;
    }
    if (!answered) {
      ringExpired();
      return;
    }
    LOG.info(
        "call from {} to {}: the 200 was never ACKed, hanging up both legs",
        account.portalUser(),
        doorUser);
    hangUpBoth();
  }

  private String requestUri() {
    return "sip:" + doorUser + "@" + kit.domain;
  }

  private Request invite(Optional<String> authorization)
      throws ParseException, InvalidArgumentException {
    Request from = phone.getRequest();
    SipURI uri = kit.addresses.createSipURI(doorUser, kit.domain);
    Address ipgw = kit.addresses.createAddress(kit.addresses.createSipURI("ipgw", kit.domain));
    ipgw.setDisplayName(account.portalUser());
    Request invite =
        kit.messages.createRequest(
            uri,
            Request.INVITE,
            kit.headers.createCallIdHeader(callId),
            kit.headers.createCSeqHeader(cseq, Request.INVITE),
            kit.headers.createFromHeader(ipgw, fromTag),
            kit.headers.createToHeader(kit.addresses.createAddress(uri), null),
            List.of(
                kit.headers.createViaHeader(
                    kit.internalPoint.getIPAddress(),
                    kit.internalPoint.getPort(),
                    kit.internalPoint.getTransport(),
                    null)),
            kit.headers.createMaxForwardsHeader(70));
    invite.addHeader(kit.contact(false, "ipgw"));
    Optional<String> sdp = SipKit.sdp(from);
    if (sdp.isPresent()) {
      kit.setSdp(invite, account.openDoor() ? sdp.get() : Sdp.withoutTelephoneEvent(sdp.get()));
    }
    if (authorization.isPresent()) {
      invite.addHeader(
          kit.headers.createHeader(ProxyAuthorizationHeader.NAME, authorization.get()));
    }
    return invite;
  }

  private void send(Request invite) throws SipException {
    ClientTransaction ct = kit.internal.getNewClientTransaction(invite);
    ct.setApplicationData(this);
    pending = ct;
    ct.sendRequest();
  }

  @Override
  public synchronized void response(ResponseEvent event, ClientTransaction transaction) {
    if (transaction != pending) {
      int status = event.getResponse().getStatusCode();
      if (!ended
          && PeerGone.relayed(transaction.getRequest().getMethod())
          && PeerGone.says(status)) {
        LOG.info(
            "call from {} to {}: {} relayed got {}, the other end is gone: hanging up",
            account.portalUser(),
            doorUser,
            transaction.getRequest().getMethod(),
            status);
        hangUpBoth();
      }
      return;
    }
    Response response = event.getResponse();
    int status = response.getStatusCode();
    if (status < 200) {
      if (status > 100) {
        provisional = true;
        if (cancelWanted) {
          kit.cancel(kit.internal, transaction);
          return;
        }
        relayProvisional(response);
      }
      return;
    }
    if (status < 300) {
      Dialog dialog = event.getDialog();
      if (dialog != null) {
        kit.ack(dialog, response);
      }
      if (cancelWanted || ended) {
        kit.inDialog(dialog, Request.BYE, null);
        return;
      }
      answered = true;
      observer.call(B2bObserver.Direction.PHONE_TO_DOOR, B2bObserver.Outcome.ANSWERED);
      CallTimers.cancel(ringTimer);
      callTimer = timers.after(timers.maxCall(), this::maxDurationReached);
      doorDialog = dialog;
      if (dialog != null) {
        dialog.setApplicationData(new Side(this, false));
      }
      try {
        Response ok = kit.messages.createResponse(Response.OK, phone.getRequest());
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(phoneTag);
        ok.addHeader(kit.contact(true, "ipgw"));
        Optional<String> sdp = SipKit.sdp(response);
        if (sdp.isPresent()) {
          kit.setSdp(ok, account.openDoor() ? sdp.get() : Sdp.withoutTelephoneEvent(sdp.get()));
        }
        kit.send(phone, ok);
        ackTimer = timers.after(timers.ackWait(), this::ackMissing);
      } catch (ParseException | RuntimeException e) {
        LOG.warn("200 to the phone not sent: {}", e.toString());
      }
      LOG.info("call from {} to {} answered", account.portalUser(), doorUser);
      return;
    }
    if ((status == Response.PROXY_AUTHENTICATION_REQUIRED || status == Response.UNAUTHORIZED)
        && !authenticated
        && !cancelWanted) {
      Optional<DigestChallenge> challenge = SipKit.challenge(response);
      if (challenge.isPresent()) {
        authenticated = true;
        cseq++;
        try {
          offer =
              invite(
                  Optional.of(
                      kit.answer(challenge.get(), b2bPassword, Request.INVITE, requestUri())));
          send(offer);
          return;
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
          LOG.warn("authenticated INVITE not sent: {}", e.toString());
        }
      }
      LOG.warn("the internal SIP server refused ipgw's credentials ({})", status);
      fail(Response.SERVER_INTERNAL_ERROR);
      return;
    }
    fail(
        status == Response.PROXY_AUTHENTICATION_REQUIRED || status == Response.UNAUTHORIZED
            ? Response.SERVER_INTERNAL_ERROR
            : status);
  }

  private void relayProvisional(Response response) {
    if (answered || ended || cancelWanted) {
      return;
    }
    try {
      Response relay = kit.messages.createResponse(response.getStatusCode(), phone.getRequest());
      ((ToHeader) relay.getHeader(ToHeader.NAME)).setTag(phoneTag);
      relay.addHeader(kit.contact(true, "ipgw"));
      Optional<String> sdp = SipKit.sdp(response);
      if (sdp.isPresent()) {
        kit.setSdp(relay, account.openDoor() ? sdp.get() : Sdp.withoutTelephoneEvent(sdp.get()));
      }
      kit.send(phone, relay);
    } catch (ParseException | RuntimeException e) {
      LOG.debug("provisional not relayed: {}", e.toString());
    }
  }

  private void fail(int status) {
    if (!answered && !ended) {
      kit.answer(phone, status, phoneTag);
      LOG.info("call from {} to {} failed: {}", account.portalUser(), doorUser, status);
      end();
    }
  }

  @Override
  public synchronized void timeout(ClientTransaction transaction) {
    if (transaction == pending && !answered) {
      fail(Response.REQUEST_TIMEOUT);
      return;
    }
    if (transaction != pending
        && !ended
        && PeerGone.relayed(transaction.getRequest().getMethod())) {
      LOG.info(
          "call from {} to {}: a relayed request timed out: hanging up",
          account.portalUser(),
          doorUser);
      hangUpBoth();
    }
  }

  @Override
  public synchronized void cancelled() {
    if (answered || ended) {
      return;
    }
    cancelWanted = true;
    kit.answer(phone, Response.REQUEST_TERMINATED, phoneTag);
    if (provisional && pending != null) {
      kit.cancel(kit.internal, pending);
    }
    end();
  }

  @Override
  public synchronized void inDialog(
      RequestEvent event, ServerTransaction transaction, boolean portalLeg) {
    Request request = event.getRequest();
    String method = request.getMethod();
    Dialog other = portalLeg ? doorDialog : phone.getDialog();
    if (Request.BYE.equals(method)) {
      kit.answer(transaction, Response.OK, null);
      if (!ended) {
        kit.inDialog(other, Request.BYE, null);
        LOG.info(
            "call from {} to {}: BYE from the {}",
            account.portalUser(),
            doorUser,
            portalLeg ? "phone" : "door");
        end();
      }
      return;
    }
    if (Request.INFO.equals(method) || Request.MESSAGE.equals(method)) {
      kit.answer(transaction, Response.OK, null);
      if (other != null && kit.inDialog(other, method, request, this) == null && !ended) {
        LOG.info("call to {}: {} could not be relayed: hanging up", doorUser, method);
        hangUpBoth();
      }
      return;
    }
    kit.answer(transaction, Response.NOT_IMPLEMENTED, null);
  }

  @Override
  public String door() {
    return doorUser;
  }

  private void end() {
    if (!ended) {
      ended = true;
      CallTimers.cancel(ringTimer);
      CallTimers.cancel(callTimer);
      CallTimers.cancel(ackTimer);
    }
  }

  @Override
  public synchronized boolean ended() {
    return ended;
  }
}
