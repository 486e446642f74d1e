package io.doorpair.welcome.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.ListIterator;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What incoming and outgoing calls share: state, waiting, in-dialog requests, hanging up. */
abstract class BaseCall implements Call {
  private static final Logger LOG = LoggerFactory.getLogger(BaseCall.class);

  final PhoneContext ctx;
  final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final String callId;
  private final String remoteParty;
  private CallState state;
  private Optional<String> endReason = Optional.empty();
  private Optional<String> remoteSdp = Optional.empty();
  private volatile Optional<GatewayCredentials> credentials;
  Dialog dialog;

  BaseCall(
      PhoneContext ctx,
      String callId,
      String remoteParty,
      CallState initial,
      Optional<GatewayCredentials> credentials) {
    this.ctx = ctx;
    this.callId = callId;
    this.remoteParty = remoteParty;
    this.state = initial;
    this.credentials = credentials;
  }

  @Override
  public String callId() {
    return callId;
  }

  @Override
  public String remoteParty() {
    return remoteParty;
  }

  @Override
  public CallState state() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<String> endReason() {
    lock.lock();
    try {
      return endReason;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<String> remoteSdp() {
    lock.lock();
    try {
      return remoteSdp;
    } finally {
      lock.unlock();
    }
  }

  void remoteSdp(Message message) {
    byte[] raw = message.getRawContent();
    ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
    if (raw != null
        && raw.length > 0
        && type != null
        && "application".equalsIgnoreCase(type.getContentType())
        && "sdp".equalsIgnoreCase(type.getContentSubType())) {
      lock.lock();
      try {
        remoteSdp = Optional.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8));
      } finally {
        lock.unlock();
      }
    }
  }

  void useCredentialsFor(GatewayCredentials account) {
    this.credentials = Optional.of(account);
  }

  Optional<GatewayCredentials> credentials() {
    return credentials;
  }

  @Override
  public CallState await(CallState wanted, Duration wait) throws InterruptedException {
    long nanos = wait.toNanos();
    lock.lock();
    try {
      while (state != wanted && state != CallState.ENDED && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      return state;
    } finally {
      lock.unlock();
    }
  }

  /** Moves to {@code to}; the first move to ENDED tells the listener (outside the lock). */
  void moveTo(CallState to, String reason) {
    boolean ended = false;
    lock.lock();
    try {
      if (state == CallState.ENDED) {
        return;
      }
      state = to;
      if (to == CallState.ENDED) {
        endReason = Optional.of(reason);
        ended = true;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (ended) {
      LOG.info("call {} with {} ended: {}", callId, remoteParty, reason);
      ctx.ended(this);
    }
  }

  @Override
  public void sendDoorOpen() throws SipPhoneException, InterruptedException {
    if (state() != CallState.ESTABLISHED) {
      throw new SipPhoneException("bad_state", 0, "the call is not established");
    }
    DoorOpen command = ctx.config.doorOpen();
    Response response = inDialog(Request.INFO, Optional.of(command.body()));
    int status = response.getStatusCode();
    if (status == 401 || status == 407) {
      throw new SipPhoneException("auth_failed", status, "the gateway refused the credentials");
    }
    if (status >= 300) {
      throw new SipPhoneException(
          "refused",
          status,
          "door-open INFO answered " + status + " " + response.getReasonPhrase());
    }
    LOG.info("door-open sent in call {} to {}", callId, remoteParty);
  }

  /** Sends an in-dialog request; answers one digest challenge with the call's credentials. */
  Response inDialog(String method, Optional<String> dtmfBody)
      throws SipPhoneException, InterruptedException {
    Response response = sendInDialog(method, dtmfBody, null, Optional.empty());
    int status = response.getStatusCode();
    Optional<GatewayCredentials> account = credentials;
    if ((status == 401 || status == 407) && account.isPresent()) {
      response = sendInDialog(method, dtmfBody, response, account);
    }
    return response;
  }

  private Response sendInDialog(
      String method,
      Optional<String> dtmfBody,
      Response challenge,
      Optional<GatewayCredentials> account)
      throws SipPhoneException, InterruptedException {
    Exchange exchange = new Exchange();
    try {
      Dialog d;
      lock.lock();
      try {
        d = dialog;
      } finally {
        lock.unlock();
      }
      if (d == null) {
        throw new SipPhoneException("bad_state", 0, "the call has no dialog");
      }
      Request request = d.createRequest(method);
      if (dtmfBody.isPresent()) {
        request.setContent(
            dtmfBody.get(),
            ctx.headers.createContentTypeHeader(DoorOpen.CONTENT_TYPE, DoorOpen.CONTENT_SUBTYPE));
      }
      if (challenge != null && account.isPresent()) {
        Optional<Header> auth = authorization(challenge, account.get(), request);
        if (auth.isEmpty()) {
          return challenge;
        }
        request.addHeader(auth.get());
      }
      ClientTransaction transaction = ctx.provider.getNewClientTransaction(request);
      transaction.setApplicationData(exchange);
      d.sendRequest(transaction);
    } catch (SipException | ParseException e) {
      throw new SipPhoneException("io", 0, method + " not sent: " + e.getMessage());
    }
    return exchange.await(ctx.config.requestTimeout(), method);
  }

  /** The header answering {@code challenge} for {@code request}, if the realm is the account's. */
  Optional<Header> authorization(Response challenge, GatewayCredentials account, Request request)
      throws ParseException {
    boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
    Optional<String> value =
        Challenges.answer(
            challenges(challenge),
            account,
            request.getMethod(),
            request.getRequestURI().toString());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        ctx.headers.createHeader(
            proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME, value.get()));
  }

  /** The challenge values of a 401 or 407, as they came. */
  static java.util.List<String> challenges(Response response) {
    String name =
        response.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED
            ? ProxyAuthenticateHeader.NAME
            : WWWAuthenticateHeader.NAME;
    java.util.List<String> values = new java.util.ArrayList<>();
    ListIterator<?> it = response.getHeaders(name);
    while (it.hasNext()) {
      String text = it.next().toString().trim();
      int colon = text.indexOf(':');
      values.add(colon < 0 ? text : text.substring(colon + 1).trim());
    }
    return values;
  }

  /**
   * Ends the call and sends BYE in the dialog on a thread of its own (answering one challenge);
   * {@link SipPhone#close()} waits for such BYEs to be answered.
   */
  void bye(String reason) {
    moveTo(CallState.ENDED, reason);
    java.util.concurrent.CompletableFuture<Void> done =
        new java.util.concurrent.CompletableFuture<>();
    ctx.byeStarted(done);
    Thread t =
        new Thread(
            () -> {
              try {
                inDialog(Request.BYE, Optional.empty());
              } catch (SipPhoneException e) {
                LOG.debug("BYE of call {}: {}", callId, e.getMessage());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                done.complete(null);
                ctx.byeEnded(done);
              }
            },
            "welcome-sip-bye");
    t.setDaemon(true);
    t.start();
  }

  /** A BYE came from the other side (already answered 200). */
  void remoteBye() {
    moveTo(CallState.ENDED, "hung up by the other side");
  }

  /** The dialog ended without a BYE seen here (transaction timeout, no ACK, ...). */
  void dialogTerminated() {
    moveTo(CallState.ENDED, "dialog terminated");
  }
}
