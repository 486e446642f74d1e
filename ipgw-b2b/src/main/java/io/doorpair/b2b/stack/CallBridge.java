package io.doorpair.b2b.stack;

import static io.doorpair.b2b.metrics.B2bObserver.Direction.DOOR_TO_PHONE;
import static io.doorpair.b2b.metrics.B2bObserver.Direction.PHONE_TO_DOOR;

import gov.nist.javax.sip.ServerTransactionExt;
import io.doorpair.b2b.access.AccessHolder;
import io.doorpair.b2b.access.AccessPolicy;
import io.doorpair.b2b.access.Need;
import io.doorpair.b2b.access.Verdict;
import io.doorpair.b2b.journal.CallJournal;
import io.doorpair.b2b.journal.CallRecord;
import io.doorpair.b2b.metrics.B2bObserver;
import io.doorpair.b2b.metrics.B2bObserver.Outcome;
import io.doorpair.crypto.SipPassword;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The B2BUA's front door (DESIGN §7): a door station's INVITE on the internal leg becomes a {@link
 * DoorCall} to whoever {@link AccessPolicy#doorCallTargets()} names now; an app's INVITE on the
 * portal leg is checked ({@link AccessPolicy#check}: digest with realm DOMAIN against the device's
 * own account, its rights) and only then becomes a {@link PhoneCall}; an INFO or MESSAGE from an
 * app in any bridged call passes an allowlist of content types and is checked the same way, DTMF
 * ({@code application/dtmf-relay}, {@code application/dtmf}) and MESSAGE needing the open-door
 * right, DTMF being journalled as a door opening; other INFO bodies get {@code 415}. An app account
 * calling {@code ipgw@DOMAIN} on the internal leg gets {@code 403}: only door stations ring the
 * phones. Refused requests get {@code 401} or {@code 403} and nothing reaches the internal leg.
 * Once {@link #drain} began, new calls get {@code 503}.
 */
final class CallBridge {
  private static final Logger LOG = LoggerFactory.getLogger(CallBridge.class);
  private static final Pattern DOOR_USER = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** The most calls bridged at once; more get {@code 503} (a flood of INVITEs stays bounded). */
  static final int MAX_CALLS = 100;

  private final SipKit kit;
  private final AccessHolder access;
  private final CallJournal journal;
  private final SipPassword b2bPassword;
  private final Clock clock;
  private final CallTimers timers;
  private final Set<BridgedCall> live = ConcurrentHashMap.newKeySet();
  private volatile boolean accepting = true;

  private final B2bObserver observer;

  CallBridge(
      B2bObserver observer,
      SipKit kit,
      AccessHolder access,
      CallJournal journal,
      SipPassword b2bPassword,
      Clock clock,
      CallTimers timers) {
    this.observer = observer;
    this.kit = kit;
    this.access = access;
    this.journal = counted(journal, observer);
    this.b2bPassword = b2bPassword;
    this.clock = clock;
    this.timers = timers;
  }

  /** {@code journal}, telling {@code observer} of the door calls answered and missed first. */
  private static CallJournal counted(CallJournal journal, B2bObserver observer) {
    return record -> {
      if (record.kind() == CallRecord.Kind.ANSWERED) {
        observer.call(DOOR_TO_PHONE, Outcome.ANSWERED);
      } else if (record.kind() == CallRecord.Kind.MISSED) {
        observer.call(DOOR_TO_PHONE, Outcome.MISSED);
      }
      journal.record(record);
    };
  }

  /** How many calls are in progress. */
  int calls() {
    live.removeIf(BridgedCall::ended);
    return live.size();
  }

  /** Whether {@link #drain} has been called: new calls get {@code 503}. */
  boolean draining() {
    return !accepting;
  }

  /**
   * Stops taking new calls and waits until the calls in progress ended, at most {@code wait}.
   *
   * @return true when none is left
   */
  boolean drain(Duration wait) {
    accepting = false;
    long end = System.nanoTime() + wait.toNanos();
    while (calls() > 0) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** A request on either leg; returns false when it is not the bridge's (REGISTER, OPTIONS). */
  boolean request(RequestEvent event) {
    Request request = event.getRequest();
    String method = request.getMethod();
    SipProvider provider = (SipProvider) event.getSource();
    boolean portalLeg = provider == kit.portal;
    if (Request.ACK.equals(method)) {
      Dialog dialog = event.getDialog();
      if (dialog != null && dialog.getApplicationData() instanceof Side side) {
        side.call().acked(dialog);
      }
      return true;
    }
    if (Request.OPTIONS.equals(method) || Request.REGISTER.equals(method)) {
      return false;
    }
    ServerTransaction tx = event.getServerTransaction();
    if (tx == null) {
      tx = SipKit.serverTransaction(provider, request);
      if (tx == null) {
        return true;
      }
    }
    if (Request.CANCEL.equals(method)) {
      cancel(tx);
      return true;
    }
    boolean inDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
    if (inDialog) {
      inDialog(event, tx, portalLeg);
      return true;
    }
    if (!Request.INVITE.equals(method)) {
      kit.answer(
          tx, portalLeg ? Response.FORBIDDEN : Response.TEMPORARILY_UNAVAILABLE, kit.token());
      return true;
    }
    if (!accepting || calls() >= MAX_CALLS) {
      observer.call(portalLeg ? PHONE_TO_DOOR : DOOR_TO_PHONE, Outcome.REFUSED);
      kit.answer(tx, Response.SERVICE_UNAVAILABLE, kit.token());
      return true;
    }
    if (portalLeg) {
      phoneInvite(tx);
    } else {
      doorInvite(tx);
    }
    return true;
  }

  private void doorInvite(ServerTransaction tx) {
    Request request = tx.getRequest();
    if (!kit.fromInternalServer(request)) {
      LOG.warn("INVITE on the internal leg not from the internal SIP server: refused");
      observer.call(DOOR_TO_PHONE, Outcome.REFUSED);
      kit.answer(tx, Response.FORBIDDEN, kit.token());
      return;
    }
    String door =
        SipKit.user(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI());
    if (!DOOR_USER.matcher(door).matches() || door.equalsIgnoreCase("ipgw")) {
      observer.call(DOOR_TO_PHONE, Outcome.REFUSED);
      kit.answer(tx, Response.FORBIDDEN, kit.token());
      return;
    }
    AccessPolicy policy = access.get();
    if (policy.isAppAccount(door)) {
      // only door stations ring the phones: an app account on the LAN would fake a door call
      LOG.warn("INVITE to ipgw from app account {}: refused", door);
      observer.call(DOOR_TO_PHONE, Outcome.REFUSED);
      kit.answer(tx, Response.FORBIDDEN, kit.token());
      return;
    }
    DoorCall call = new DoorCall(kit, journal, clock, timers, tx, door, policy);
    live.removeIf(BridgedCall::ended);
    live.add(call);
    observer.call(DOOR_TO_PHONE, Outcome.STARTED);
    call.start(policy.doorCallTargets());
  }

  private void phoneInvite(ServerTransaction tx) {
    Request request = tx.getRequest();
    javax.sip.address.URI to = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI();
    String door = SipKit.user(to);
    if (!SipKit.host(to).equalsIgnoreCase(kit.domain)
        || !DOOR_USER.matcher(door).matches()
        || door.equalsIgnoreCase("ipgw")) {
      observer.call(PHONE_TO_DOOR, Outcome.REFUSED);
      kit.answer(tx, Response.NOT_FOUND, kit.token());
      return;
    }
    Optional<Verdict.Pass> pass = check(tx, Need.CALL);
    if (pass.isEmpty()) {
      return;
    }
    observer.call(PHONE_TO_DOOR, Outcome.STARTED);
    PhoneCall call =
        new PhoneCall(observer, kit, b2bPassword, timers, tx, pass.get().account(), door);
    live.removeIf(BridgedCall::ended);
    live.add(call);
    LOG.info(
        "call from {} ({}) to {}",
        pass.get().account().portalUser(),
        pass.get().account().sipUsername(),
        door);
    call.start();
  }

  /** Checks an app's request; answers 401/403 itself when it does not pass. */
  private Optional<Verdict.Pass> check(ServerTransaction tx, Need need) {
    Request request = tx.getRequest();
    AuthorizationHeader authorization =
        (AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME);
    Optional<String> credentials =
        Optional.ofNullable(authorization)
            .map(Object::toString)
            .map(line -> line.substring(line.indexOf(':') + 1).strip());
    String fromUser =
        SipKit.user(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI());
    AccessPolicy policy = access.get();
    javax.sip.address.URI fromUri =
        ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI();
    Verdict verdict =
        !fromPortal(fromUri, policy)
            ? new Verdict.Forbidden("From " + fromUri.getScheme() + " not at the portal domain")
            : policy.check(
                request.getMethod(),
                java.util.List.of(
                    request.getRequestURI().toString(),
                    ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString()),
                credentials,
                fromUser,
                SipKit.instance(request),
                need);
    if (verdict instanceof Verdict.Pass pass) {
      return Optional.of(pass);
    }
    try {
      if (verdict instanceof Verdict.Challenge challenge) {
        Response response = kit.messages.createResponse(Response.UNAUTHORIZED, request);
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(tagOf(request));
        for (String value : challenge.headerValues()) {
          response.addHeader(kit.headers.createHeader(WWWAuthenticateHeader.NAME, value));
        }
        LOG.info("{} from {} challenged: {}", request.getMethod(), fromUser, challenge.why());
        kit.send(tx, response);
      } else {
        if (Request.INVITE.equals(request.getMethod())) {
          observer.call(PHONE_TO_DOOR, Outcome.REFUSED);
        } else if (need == Need.OPEN_DOOR) {
          observer.doorOpen(false);
        }
        LOG.warn(
            "{} from {} refused: {}",
            request.getMethod(),
            fromUser,
            ((Verdict.Forbidden) verdict).why());
        Response response = kit.messages.createResponse(Response.FORBIDDEN, request);
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(tagOf(request));
        kit.send(tx, response);
      }
    } catch (ParseException | RuntimeException e) {
      LOG.debug("refusal not sent: {}", e.toString());
    }
    return Optional.empty();
  }

  /**
   * Whether a phone's From is {@code sip:} or {@code sips:} at the portal domain (the one of the
   * GRUUs in {@code accounts.list}): the portal lets any gateway certificate send From {@code
   * anyuser@ITS_DOMAIN}, so the user part alone would let a thief's gateway pose as alice.
   */
  private static boolean fromPortal(javax.sip.address.URI from, AccessPolicy policy) {
    if (!(from instanceof SipURI)) {
      return false;
    }
    String scheme = from.getScheme();
    if (!"sip".equalsIgnoreCase(scheme) && !"sips".equalsIgnoreCase(scheme)) {
      return false;
    }
    String host = ((SipURI) from).getHost();
    return host != null && policy.portalDomain().map(host::equalsIgnoreCase).orElse(false);
  }

  private String tagOf(Request request) {
    String tag = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
    return tag != null ? tag : kit.token();
  }

  private void cancel(ServerTransaction cancel) {
    ServerTransaction invite =
        cancel instanceof ServerTransactionExt
            ? ((ServerTransactionExt) cancel).getCanceledInviteTransaction()
            : null;
    Object data = invite == null ? null : invite.getApplicationData();
    if (!(data instanceof BridgedCall)) {
      kit.answer(cancel, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
      return;
    }
    kit.answer(cancel, Response.OK, null);
    ((BridgedCall) data).cancelled();
  }

  private void inDialog(RequestEvent event, ServerTransaction tx, boolean portalLeg) {
    Dialog dialog = event.getDialog();
    Object data = dialog == null ? null : dialog.getApplicationData();
    if (!(data instanceof Side)) {
      kit.answer(tx, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
      return;
    }
    BridgedCall call = ((Side) data).call();
    Request request = event.getRequest();
    if (portalLeg
        && (Request.INFO.equals(request.getMethod())
            || Request.MESSAGE.equals(request.getMethod()))) {
      Optional<Need> need = need(request);
      if (need.isEmpty()) {
        LOG.warn("{} from a phone with a content type not relayed: refused", request.getMethod());
        unsupportedMedia(tx);
        return;
      }
      boolean dtmf = isDtmf(request);
      Optional<Verdict.Pass> pass = check(tx, need.get());
      if (pass.isEmpty()) {
        return;
      }
      call.inDialog(event, tx, true);
      if (need.get() == Need.OPEN_DOOR) {
        observer.doorOpen(true);
      }
      if (dtmf) {
        LOG.info("door-open command from {} to {}", pass.get().account().portalUser(), call.door());
        try {
          journal.record(
              new CallRecord(
                  UUID.randomUUID().toString(),
                  CallRecord.Kind.DOOR_OPENED,
                  call.door(),
                  Optional.of(pass.get().account().portalUser()),
                  pass.get().account().gruu(),
                  clock.instant()));
        } catch (RuntimeException e) {
          LOG.warn("journal: door opening not recorded: {}", e.toString());
        }
      }
      return;
    }
    call.inDialog(event, tx, portalLeg);
  }

  /**
   * What an in-dialog INFO or MESSAGE from a phone needs, by an allowlist of content types: a
   * MESSAGE always the open-door right (any text could carry a code); an INFO without body or with
   * {@code application/sdp} only a right in the call, DTMF ({@code application/dtmf-relay}, {@code
   * application/dtmf}) the open-door right; any other INFO body is not relayed (empty).
   */
  private static Optional<Need> need(Request request) {
    if (Request.MESSAGE.equals(request.getMethod())) {
      return Optional.of(Need.OPEN_DOOR);
    }
    ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    byte[] body = request.getRawContent();
    if (type == null) {
      return body == null || body.length == 0 ? Optional.of(Need.IN_CALL) : Optional.empty();
    }
    if (isDtmf(request)) {
      return Optional.of(Need.OPEN_DOOR);
    }
    String subtype = type.getContentSubType() == null ? "" : type.getContentSubType();
    if ("application".equalsIgnoreCase(type.getContentType()) && subtype.equalsIgnoreCase("sdp")) {
      return Optional.of(Need.IN_CALL);
    }
    return Optional.empty();
  }

  private void unsupportedMedia(ServerTransaction tx) {
    Request request = tx.getRequest();
    try {
      Response response = kit.messages.createResponse(Response.UNSUPPORTED_MEDIA_TYPE, request);
      ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(tagOf(request));
      response.addHeader(kit.headers.createAcceptHeader("application", "sdp"));
      response.addHeader(kit.headers.createAcceptHeader("application", "dtmf-relay"));
      response.addHeader(kit.headers.createAcceptHeader("application", "dtmf"));
      kit.send(tx, response);
    } catch (ParseException | RuntimeException e) {
      LOG.debug("415 not sent: {}", e.toString());
    }
  }

  private static boolean isDtmf(Request request) {
    ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    if (type == null) {
      return false;
    }
    String subtype = type.getContentSubType() == null ? "" : type.getContentSubType();
    return "application".equalsIgnoreCase(type.getContentType())
        && (subtype.equalsIgnoreCase("dtmf-relay") || subtype.equalsIgnoreCase("dtmf"));
  }

  /** A response to a bridged call's client transaction; false when it is not one. */
  boolean response(ResponseEvent event) {
    ClientTransaction ct = event.getClientTransaction();
    Object data = ct == null ? null : ct.getApplicationData();
    if (data instanceof BridgedCall) {
      ((BridgedCall) data).response(event, ct);
      return true;
    }
    if (ct == null
        && event.getDialog() != null
        && event.getDialog().getApplicationData() instanceof Side) {
      // a retransmitted or forked 2xx outside its transaction: ACK it so the peer stops
      Response response = event.getResponse();
      if (response.getStatusCode() / 100 == 2
          && Request.INVITE.equals(
              ((javax.sip.header.CSeqHeader) response.getHeader("CSeq")).getMethod())) {
        kit.ack(event.getDialog(), response);
      }
      return true;
    }
    return false;
  }

  /** A client transaction timed out. */
  void timeout(ClientTransaction ct) {
    Object data = ct == null ? null : ct.getApplicationData();
    if (data instanceof BridgedCall) {
      ((BridgedCall) data).timeout(ct);
    }
  }

  /**
   * The stack gave up on a dialog: above all a 2xx we sent was never ACKed within 64*T1 (RFC 3261
   * §13.3.1.4), the session must then end. A bridged call hangs up both legs; any other dialog is
   * deleted (jain-sip leaves it to the application once its listener hears of the timeout).
   */
  void dialogTimeout(Dialog dialog, String reason) {
    if (dialog == null) {
      return;
    }
    Object data = dialog.getApplicationData();
    if (data instanceof Side) {
      LOG.info("dialog timeout ({}) in a bridged call", reason);
      ((Side) data).call().dialogTimeout(dialog);
      return;
    }
    dialog.delete();
  }

  /** Stops the call timers (the stack is stopping). */
  void close() {
    timers.close();
  }
}
