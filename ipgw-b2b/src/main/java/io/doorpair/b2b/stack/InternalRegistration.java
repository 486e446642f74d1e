package io.doorpair.b2b.stack;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.stack.GatewayStack.InternalLegSettings;
import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.DigestFormatException;
import io.doorpair.crypto.digest.Ha1;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code ipgw@DOMAIN} registered at the internal SIP server (DESIGN §7) with the b2b password
 * of {@code b2b.conf}: REGISTER, answer the {@code 401} digest challenge (SHA-256 when offered,
 * else MD5; qop auth), refresh at half the granted expiry, and after a failure try again after a
 * capped exponential backoff with jitter. Wrong credentials are not retried at once: they wait for
 * the backoff like any failure.
 */
final class InternalRegistration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InternalRegistration.class);

  private final SipProvider provider;
  private final ListeningPoint listeningPoint;
  private final MessageFactoryImpl messages;
  private final HeaderFactoryImpl headers;
  private final AddressFactoryImpl addresses;
  private final InternalLegSettings settings;
  private final SecureRandom random = new SecureRandom();
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicLong successes = new AtomicLong();
  private final String callId;
  private final String fromTag;

  private long cseq;
  private int failures;
  private ClientTransaction pending;
  private boolean pendingHadCredentials;
  private ScheduledFuture<?> next;
  private volatile boolean registered;
  private boolean closed;

  InternalRegistration(
      SipProvider provider,
      ListeningPoint listeningPoint,
      MessageFactoryImpl messages,
      HeaderFactoryImpl headers,
      AddressFactoryImpl addresses,
      InternalLegSettings settings) {
    this.provider = provider;
    this.listeningPoint = listeningPoint;
    this.messages = messages;
    this.headers = headers;
    this.addresses = addresses;
    this.settings = settings;
    this.callId = provider.getNewCallId().getCallId();
    this.fromTag = Long.toHexString(random.nextLong());
    this.timer = LegScheduler.create("b2b-internal-leg");
  }

  synchronized void start() {
    next = timer.schedule(() -> attempt(Optional.empty()), 0, TimeUnit.MILLISECONDS);
  }

  boolean registered() {
    return registered;
  }

  long successes() {
    return successes.get();
  }

  private synchronized void attempt(Optional<String> authorization) {
    if (closed) {
      return;
    }
    next = null;
    try {
      Request register = register(authorization);
      ClientTransaction transaction = provider.getNewClientTransaction(register);
      pending = transaction;
      pendingHadCredentials = authorization.isPresent();
      transaction.sendRequest();
    } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
      failed("REGISTER not sent: " + e.getMessage());
    }
  }

  private String requestUri() {
    InternalTarget t = settings.target();
    return "sip:" + t.uriHost() + ":" + t.port() + ";transport=" + t.transport();
  }

  private Request register(Optional<String> authorization)
      throws ParseException, InvalidArgumentException {
    Address aor = addresses.createAddress(addresses.createSipURI("ipgw", settings.domain()));
    SipURI contactUri = addresses.createSipURI("ipgw", listeningPoint.getIPAddress());
    contactUri.setPort(listeningPoint.getPort());
    contactUri.setTransportParam(settings.target().transport());
    Request request =
        messages.createRequest(
            addresses.createURI(requestUri()),
            Request.REGISTER,
            headers.createCallIdHeader(callId),
            headers.createCSeqHeader(++cseq, Request.REGISTER),
            headers.createFromHeader(aor, fromTag),
            headers.createToHeader(aor, null),
            List.of(
                headers.createViaHeader(
                    listeningPoint.getIPAddress(),
                    listeningPoint.getPort(),
                    settings.target().transport(),
                    null)),
            headers.createMaxForwardsHeader(70));
    request.addHeader(headers.createContactHeader(addresses.createAddress(contactUri)));
    request.addHeader(headers.createExpiresHeader((int) settings.expires().toSeconds()));
    if (authorization.isPresent()) {
      request.addHeader(headers.createHeader("Authorization", authorization.get()));
    }
    return request;
  }

  synchronized void onResponse(ResponseEvent event) {
    if (closed || event.getClientTransaction() == null || event.getClientTransaction() != pending) {
      return;
    }
    Response response = event.getResponse();
    int status = response.getStatusCode();
    if (status < 200) {
      return;
    }
    pending = null;
    if (status == Response.UNAUTHORIZED) {
      Optional<DigestChallenge> challenge = challenge(response);
      boolean stale = challenge.map(DigestChallenge::stale).orElse(false);
      if (challenge.isPresent() && (!pendingHadCredentials || stale)) {
        attempt(Optional.of(answer(challenge.get())));
        return;
      }
      failed(
          pendingHadCredentials ? "REGISTER refused: wrong b2b password?" : "401 without digest");
      return;
    }
    if (status >= 300) {
      failed("REGISTER answered " + status + " " + response.getReasonPhrase());
      return;
    }
    long granted = settings.expires().toSeconds();
    ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
    if (contact != null && contact.getExpires() > 0) {
      granted = contact.getExpires();
    }
    if (!registered) {
      LOG.info(
          "registered ipgw@{} at the internal SIP server {} for {} s",
          settings.domain(),
          requestUri(),
          granted);
    }
    registered = true;
    failures = 0;
    successes.incrementAndGet();
    schedule(Duration.ofSeconds(Math.max(1, granted / 2)));
  }

  private static Optional<DigestChallenge> challenge(Response response) {
    DigestChallenge md5 = null;
    ListIterator<?> values = response.getHeaders(WWWAuthenticateHeader.NAME);
    while (values.hasNext()) {
      String line = values.next().toString();
      String value = line.substring(line.indexOf(':') + 1).strip();
      try {
        for (DigestChallenge c : DigestChallenge.parseAll(value)) {
          if (c.algorithm() == DigestAlgorithm.SHA_256) {
            return Optional.of(c);
          }
          md5 = c;
        }
      } catch (DigestFormatException e) {
        // try the next header
      }
    }
    return Optional.ofNullable(md5);
  }

  private String answer(DigestChallenge challenge) {
    char[] password = settings.password().reveal().toCharArray();
    Ha1 ha1;
    try {
      ha1 = Ha1.compute(challenge.algorithm(), "ipgw", challenge.realm(), password);
    } finally {
      Arrays.fill(password, '\0');
    }
    byte[] cnonce = new byte[12];
    random.nextBytes(cnonce);
    return DigestAuthorization.answer(
            challenge,
            "ipgw",
            ha1,
            Request.REGISTER,
            requestUri(),
            HexFormat.of().formatHex(cnonce),
            1)
        .toHeaderValue();
  }

  synchronized void onTimeout(ClientTransaction transaction) {
    if (!closed && transaction != null && transaction == pending) {
      pending = null;
      failed("REGISTER timed out");
    }
  }

  private void failed(String why) {
    registered = false;
    Duration wait = settings.backoff().delay(failures++, random);
    LOG.warn("internal leg: {}; next REGISTER in {} ms", why, wait.toMillis());
    schedule(wait);
  }

  private void schedule(Duration wait) {
    if (next != null) {
      next.cancel(false);
    }
    next = timer.schedule(() -> attempt(Optional.empty()), wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    closed = true;
    registered = false;
    timer.shutdownNow();
  }
}
