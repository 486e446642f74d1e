package io.doorpair.b2b.stack;

import io.doorpair.b2b.access.AccessPolicy;
import io.doorpair.b2b.access.Sdp;
import io.doorpair.b2b.journal.CallJournal;
import io.doorpair.b2b.journal.CallRecord;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A door station's call bridged to the phones (B2BUA): one INVITE through the portal per target (an
 * address of record, or a GRUU), the door's SDP offer in each; 180/183 relayed to the door (the
 * first SDP as early media); the first 2xx wins (ACKed, its SDP in the door's 200), the other
 * branches are CANCELled and a late 2xx is ACKed and hung up; CANCEL from the door cancels every
 * branch; when every branch failed the door gets {@code 486} if one was busy or declined, else
 * {@code 480}; BYE either way ends the other side. The journal hears of the answer (by whom) or of
 * the miss.
 *
 * <p>Bounded in time: nobody answering within {@code ring-timeout} gives the door {@code 480} and
 * CANCELs every branch (journalled missed); an answered call is hung up (BYE both ways) after
 * {@code max-call-duration}; a 200 the door never ACKs within the ACK wait (64*T1), and a request
 * relayed in the dialog that finds the other end gone ({@link PeerGone}), hang up both legs.
 *
 * <p>RFC 4733 {@code telephone-event} (the door-open command as RTP events) is removed from the
 * offer unless every target is a device with the open-door right ({@link
 * AccessPolicy#offerMayCarryEvents}), and from every answer relayed to the door unless the
 * answering device (its Contact's {@code gr} or {@code +sip.instance}) has that right ({@link
 * AccessPolicy#deviceMayOpen}).
 */
final class DoorCall implements BridgedCall {
  private static final Logger LOG = LoggerFactory.getLogger(DoorCall.class);

  private final SipKit kit;
  private final CallJournal journal;
  private final Clock clock;
  private final CallTimers timers;
  private final ServerTransaction door;
  private final String doorUser;
  private final String doorTag;
  private final AccessPolicy policy;
  private boolean offerEvents;
  private final List<Branch> branches = new ArrayList<>();
  private Dialog phoneDialog;
  private boolean earlySdpSent;
  private boolean answered;
  private boolean cancelled;
  private boolean ended;
  private boolean busy;
  private ScheduledFuture<?> ringTimer;
  private ScheduledFuture<?> callTimer;
  private ScheduledFuture<?> ackTimer;
  private boolean ackSeen;

  private static final class Branch {
    final String target;
    ClientTransaction transaction;
    boolean provisional;
    boolean done;
    boolean cancelWanted;

    Branch(String target) {
      this.target = target;
    }
  }

  DoorCall(
      SipKit kit,
      CallJournal journal,
      Clock clock,
      CallTimers timers,
      ServerTransaction door,
      String doorUser,
      AccessPolicy policy) {
    this.kit = kit;
    this.journal = journal;
    this.clock = clock;
    this.timers = timers;
    this.door = door;
    this.doorUser = doorUser;
    this.doorTag = kit.token();
    this.policy = policy;
  }

  /** Sends the INVITEs; with no target, {@code 480} at once. */
  synchronized void start(List<String> targets) {
    kit.answer(door, Response.TRYING, null);
    door.setApplicationData(this);
    Dialog dialog = door.getDialog();
    if (dialog != null) {
      dialog.setApplicationData(new Side(this, false));
    }
    Request offer = door.getRequest();
    offerEvents = policy.offerMayCarryEvents(targets);
    for (String target : targets) {
      Branch branch = new Branch(target);
      try {
        Request invite = invite(target, offer);
        branch.transaction = kit.portal.getNewClientTransaction(invite);
        branch.transaction.setApplicationData(this);
        if (branch.transaction.getDialog() != null) {
          branch.transaction.getDialog().setApplicationData(new Side(this, true));
        }
        branches.add(branch);
        branch.transaction.sendRequest();
      } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
        LOG.warn("door call from {}: INVITE to {} not sent: {}", doorUser, target, e.toString());
        branch.done = true;
      }
    }
    LOG.info("door call from {} rings {} target(s)", doorUser, branches.size());
    settleIfAllFailed();
    if (!ended) {
      ringTimer = timers.after(timers.ring(), this::ringExpired);
    }
  }

  /** Nobody answered within the ring timeout: 480 to the door, every branch CANCELled. */
  private synchronized void ringExpired() {
    if (answered || cancelled || ended) {
      return;
    }
    kit.answer(door, Response.TEMPORARILY_UNAVAILABLE, doorTag);
    LOG.info(
        "door call from {} missed: nobody answered within {} s",
        doorUser,
        timers.ring().toSeconds());
    record(CallRecord.Kind.MISSED, Optional.empty(), Optional.empty());
    end();
  }

  /** The answered call reached the maximum duration: BYE both ways. */
  private synchronized void maxDurationReached() {
    if (ended) {
      return;
    }
    LOG.info(
        "door call from {} hung up after the maximum duration of {} s",
        doorUser,
        timers.maxCall().toSeconds());
    hangUpBoth();
  }

  private void hangUpBoth() {
    kit.inDialog(door.getDialog(), Request.BYE, null, this);
    kit.inDialog(phoneDialog, Request.BYE, null, this);
    end();
  }

  @Override
  public synchronized void acked(Dialog dialog) {
    if (dialog == door.getDialog()) {
      ackSeen = true;
      CallTimers.cancel(ackTimer);
    }
  }

  /**
   * Our 200 to the door waited 64*T1 (the ACK wait) for its ACK (RFC 3261 §13.3.1.4): the session
   * ends.
   */
  private synchronized void ackMissing() {
    if (ended || ackSeen) {
      return;
    }
    LOG.info("call with {}: the 200 to the door was never ACKed, hanging up both legs", doorUser);
    hangUpBoth();
  }

  @Override
  public synchronized void dialogTimeout(Dialog dialog) {
    if (ended) {
      kit.endDialog(dialog, this);
      return;
    }
    if (!answered) {
      LOG.info("door call from {}: a dialog timed out before the answer", doorUser);
      ringExpired();
      return;
    }
    LOG.info("door call from {}: the 200 was never ACKed, hanging up both legs", doorUser);
    hangUpBoth();
  }

  private Request invite(String target, Request offer)
      throws ParseException, InvalidArgumentException {
    FromHeader doorFrom = (FromHeader) offer.getHeader(FromHeader.NAME);
    SipURI fromUri = kit.addresses.createSipURI(doorUser, kit.domain);
    Address from = kit.addresses.createAddress(fromUri);
    String display = doorFrom.getAddress().getDisplayName();
    if (display != null && display.length() <= 64) {
      from.setDisplayName(display);
    }
    javax.sip.address.URI requestUri = kit.addresses.createURI(target);
    Request invite =
        kit.messages.createRequest(
            requestUri,
            Request.INVITE,
            kit.portal.getNewCallId(),
            kit.headers.createCSeqHeader(1L, Request.INVITE),
            kit.headers.createFromHeader(from, kit.token()),
            kit.headers.createToHeader(kit.addresses.createAddress(requestUri), null),
            List.of(
                kit.headers.createViaHeader(
                    kit.portalPoint.getIPAddress(), kit.portalPoint.getPort(), "tls", null)),
            kit.headers.createMaxForwardsHeader(70));
    invite.addHeader(kit.contact(true, doorUser));
    Optional<String> sdp = SipKit.sdp(offer);
    if (sdp.isPresent()) {
      kit.setSdp(invite, offerEvents ? sdp.get() : Sdp.withoutTelephoneEvent(sdp.get()));
    }
    return invite;
  }

  private Branch branch(ClientTransaction transaction) {
    for (Branch b : branches) {
      if (b.transaction == transaction) {
        return b;
      }
    }
    return null;
  }

  @Override
  public synchronized void response(ResponseEvent event, ClientTransaction transaction) {
    Branch branch = branch(transaction);
    Response response = event.getResponse();
    int status = response.getStatusCode();
    if (branch == null) {
      relayAnswered(transaction, status);
      return;
    }
    if (status < 200) {
      if (status > 100) {
        branch.provisional = true;
        if (branch.cancelWanted && !branch.done) {
          kit.cancel(kit.portal, transaction);
          return;
        }
        provisional(branch, response);
      }
      return;
    }
    if (status < 300) {
      Dialog dialog = event.getDialog();
      if (dialog != null) {
        kit.ack(dialog, response);
      }
      if (answered || cancelled || ended) {
        // a late answer from another device (or after the door gave up): hang it up
        if (dialog != null && dialog != phoneDialog) {
          kit.inDialog(dialog, Request.BYE, null);
        }
        branch.done = true;
        return;
      }
      branch.done = true;
      win(branch, dialog, response);
      return;
    }
    branch.done = true;
    if (status == Response.BUSY_HERE || status == Response.BUSY_EVERYWHERE || status == 603) {
      busy = true;
    }
    settleIfAllFailed();
  }

  private void provisional(Branch branch, Response response) {
    if (answered || cancelled || ended) {
      return;
    }
    int status = response.getStatusCode();
    if (status != Response.RINGING && status != Response.SESSION_PROGRESS) {
      return;
    }
    try {
      Optional<String> sdp = SipKit.sdp(response);
      Response relay =
          kit.messages.createResponse(
              sdp.isPresent() && !earlySdpSent ? Response.SESSION_PROGRESS : status,
              door.getRequest());
      ((ToHeader) relay.getHeader(ToHeader.NAME)).setTag(doorTag);
      relay.addHeader(kit.contact(false, "ipgw"));
      if (sdp.isPresent() && !earlySdpSent) {
        kit.setSdp(relay, answerSdp(branch, response, sdp.get()));
        earlySdpSent = true;
      }
      kit.send(door, relay);
    } catch (ParseException | RuntimeException e) {
      LOG.debug("provisional not relayed: {}", e.toString());
    }
  }

  /** The answer to a request this call relayed in a dialog: the other end may be gone. */
  private void relayAnswered(ClientTransaction transaction, int status) {
    if (!ended && PeerGone.relayed(transaction.getRequest().getMethod()) && PeerGone.says(status)) {
      LOG.info(
          "door call from {}: {} relayed got {}, the other end is gone: hanging up",
          doorUser,
          transaction.getRequest().getMethod(),
          status);
      hangUpBoth();
    }
  }

  private void win(Branch branch, Dialog dialog, Response response) {
    answered = true;
    CallTimers.cancel(ringTimer);
    callTimer = timers.after(timers.maxCall(), this::maxDurationReached);
    phoneDialog = dialog;
    if (dialog != null) {
      dialog.setApplicationData(new Side(this, true));
    }
    for (Branch other : branches) {
      if (other != branch && !other.done) {
        other.cancelWanted = true;
        if (other.provisional) {
          kit.cancel(kit.portal, other.transaction);
        }
      }
    }
    String user = user(branch);
    Optional<String> device = device(response, branch.target);
    try {
      Response ok = kit.messages.createResponse(Response.OK, door.getRequest());
      ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(doorTag);
      ok.addHeader(kit.contact(false, "ipgw"));
      Optional<String> sdp = SipKit.sdp(response);
      if (sdp.isPresent()) {
        kit.setSdp(ok, answerSdp(branch, response, sdp.get()));
      }
      kit.send(door, ok);
      ackTimer = timers.after(timers.ackWait(), this::ackMissing);
    } catch (ParseException | RuntimeException e) {
      LOG.warn("200 to the door not sent: {}", e.toString());
    }
    LOG.info("door call from {} answered by {} {}", doorUser, user, device.orElse(""));
    record(CallRecord.Kind.ANSWERED, Optional.of(user), device);
  }

  /** An answer's SDP as the door may see it: without events unless the device may open. */
  private String answerSdp(Branch branch, Response response, String sdp) {
    if (offerEvents && policy.deviceMayOpen(user(branch), SipKit.instance(response))) {
      return sdp;
    }
    return Sdp.withoutTelephoneEvent(sdp);
  }

  private static String user(Branch branch) {
    return branch.target.substring(4, branch.target.indexOf('@'));
  }

  /** The answering device: the GRUU of the 2xx's Contact, else the branch's GRUU target. */
  private static Optional<String> device(Response response, String target) {
    ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
    if (contact != null && contact.getAddress().getURI() instanceof SipURI) {
      SipURI uri = (SipURI) contact.getAddress().getURI();
      if (uri.getParameter("gr") != null && uri.getUser() != null) {
        return Optional.of(
            "sip:" + uri.getUser() + "@" + uri.getHost() + ";gr=" + uri.getParameter("gr"));
      }
    }
    return target.contains(";gr=") ? Optional.of(target) : Optional.empty();
  }

  private void settleIfAllFailed() {
    if (answered || cancelled || ended) {
      return;
    }
    if (branches.stream().allMatch(b -> b.done)) {
      int status = busy ? Response.BUSY_HERE : Response.TEMPORARILY_UNAVAILABLE;
      kit.answer(door, status, doorTag);
      LOG.info("door call from {} missed ({})", doorUser, status);
      record(CallRecord.Kind.MISSED, Optional.empty(), Optional.empty());
      end();
    }
  }

  @Override
  public synchronized void timeout(ClientTransaction transaction) {
    Branch branch = branch(transaction);
    if (branch == null) {
      if (!ended && PeerGone.relayed(transaction.getRequest().getMethod())) {
        LOG.info("door call from {}: a relayed request timed out: hanging up", doorUser);
        hangUpBoth();
      }
      return;
    }
    if (!branch.done) {
      branch.done = true;
      settleIfAllFailed();
    }
  }

  @Override
  public synchronized void cancelled() {
    if (answered || ended) {
      return;
    }
    cancelled = true;
    kit.answer(door, Response.REQUEST_TERMINATED, doorTag);
    cancelAll();
    LOG.info("door call from {} cancelled by the door", doorUser);
    record(CallRecord.Kind.MISSED, Optional.empty(), Optional.empty());
    end();
  }

  private void cancelAll() {
    for (Branch b : branches) {
      if (!b.done) {
        b.cancelWanted = true;
        if (b.provisional) {
          kit.cancel(kit.portal, b.transaction);
        }
      }
    }
  }

  @Override
  public synchronized void inDialog(
      RequestEvent event, ServerTransaction transaction, boolean portalLeg) {
    Request request = event.getRequest();
    String method = request.getMethod();
    Dialog other = portalLeg ? door.getDialog() : phoneDialog;
    if (Request.BYE.equals(method)) {
      kit.answer(transaction, Response.OK, null);
      if (!ended) {
        kit.inDialog(other, Request.BYE, null);
        LOG.info("door call from {}: BYE from the {}", doorUser, portalLeg ? "phone" : "door");
        end();
      }
      return;
    }
    if (Request.INFO.equals(method) || Request.MESSAGE.equals(method)) {
      kit.answer(transaction, Response.OK, null);
      if (other != null && kit.inDialog(other, method, request, this) == null && !ended) {
        LOG.info("door call from {}: {} could not be relayed: hanging up", doorUser, method);
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

  private void record(CallRecord.Kind kind, Optional<String> user, Optional<String> device) {
    try {
      journal.record(
          new CallRecord(
              UUID.randomUUID().toString(), kind, doorUser, user, device, clock.instant()));
    } catch (RuntimeException e) {
      LOG.warn("journal: {} of the call from {} not recorded: {}", kind, doorUser, e.toString());
    }
  }

  private void end() {
    if (!ended) {
      ended = true;
      cancelAll();
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
