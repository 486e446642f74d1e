package io.doorpair.b2b.stack;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.DigestFormatException;
import io.doorpair.crypto.digest.Ha1;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both call directions of the bridge share: the factories, the two legs (provider and
 * listening point each), and small message helpers. Errors while answering or sending are logged
 * and swallowed: a peer gone away must not break the other leg.
 */
final class SipKit {
  private static final Logger LOG = LoggerFactory.getLogger(SipKit.class);
  static final int MAX_BODY = 16 * 1024;

  final MessageFactoryImpl messages = new MessageFactoryImpl();
  final HeaderFactoryImpl headers = new HeaderFactoryImpl();
  final AddressFactoryImpl addresses = new AddressFactoryImpl();
  final SipProvider portal;
  final ListeningPoint portalPoint;
  final SipProvider internal;
  final ListeningPoint internalPoint;
  final String domain;
  private final java.net.InetSocketAddress internalServer;
  private final SecureRandom random = new SecureRandom();

  SipKit(
      SipProvider portal,
      ListeningPoint portalPoint,
      SipProvider internal,
      ListeningPoint internalPoint,
      String domain,
      java.net.InetSocketAddress internalServer) {
    this.portal = portal;
    this.portalPoint = portalPoint;
    this.internal = internal;
    this.internalPoint = internalPoint;
    this.domain = domain;
    this.internalServer = internalServer;
  }

  /**
   * Whether a request on the internal leg comes from the internal SIP server: its address, and over
   * UDP also its port (a server answers and proxies from its listening port; over TCP it dials from
   * any port). A door station on the LAN sending straight to the b2b, past the server's digest, is
   * not.
   */
  boolean fromInternalServer(Request request) {
    gov.nist.javax.sip.message.SIPMessage m = (gov.nist.javax.sip.message.SIPMessage) request;
    java.net.InetAddress from = m.getRemoteAddress();
    if (from == null || !from.equals(internalServer.getAddress())) {
      return false;
    }
    return !"udp".equalsIgnoreCase(internalPoint.getTransport())
        || m.getRemotePort() == internalServer.getPort();
  }

  String token() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Our contact on a leg: {@code <sip:user@ip:port;transport=...>}. */
  ContactHeader contact(boolean portalLeg, String user) throws ParseException {
    ListeningPoint lp = portalLeg ? portalPoint : internalPoint;
    SipURI uri = addresses.createSipURI(user, lp.getIPAddress());
    uri.setPort(lp.getPort());
    uri.setTransportParam(lp.getTransport().toLowerCase(java.util.Locale.ROOT));
    return headers.createContactHeader(addresses.createAddress(uri));
  }

  /** The SDP body of a message, if it has one. */
  static Optional<String> sdp(Message message) {
    ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
    byte[] raw = message.getRawContent();
    if (type == null
        || raw == null
        || raw.length == 0
        || raw.length > MAX_BODY
        || !"application".equalsIgnoreCase(type.getContentType())
        || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
      return Optional.empty();
    }
    return Optional.of(new String(raw, StandardCharsets.UTF_8));
  }

  void setSdp(Message message, String sdp) throws ParseException {
    message.setContent(
        sdp.getBytes(StandardCharsets.UTF_8),
        headers.createContentTypeHeader("application", "sdp"));
  }

  /** Copies another message's body (any type, bounded) onto {@code message}. */
  void copyBody(Message from, Message message) throws ParseException {
    ContentTypeHeader type = (ContentTypeHeader) from.getHeader(ContentTypeHeader.NAME);
    byte[] raw = from.getRawContent();
    if (type != null && raw != null && raw.length > 0 && raw.length <= MAX_BODY) {
      message.setContent(
          raw, headers.createContentTypeHeader(type.getContentType(), type.getContentSubType()));
    }
  }

  /** A server transaction for a new request, or null for a retransmission. */
  static ServerTransaction serverTransaction(SipProvider provider, Request request) {
    try {
      return provider.getNewServerTransaction(request);
    } catch (javax.sip.TransactionAlreadyExistsException e) {
      return null;
    } catch (javax.sip.TransactionUnavailableException e) {
      LOG.debug("no transaction for {}: {}", request.getMethod(), e.getMessage());
      return null;
    }
  }

  /** Answers {@code status} on {@code tx}, with {@code toTag} when given. */
  void answer(ServerTransaction tx, int status, String toTag) {
    if (tx == null) {
      return;
    }
    try {
      Response response = messages.createResponse(status, tx.getRequest());
      ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
      if (toTag != null && to.getTag() == null && status > 100) {
        to.setTag(toTag);
      }
      tx.sendResponse(response);
    } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
      LOG.debug("could not answer {}: {}", status, e.toString());
    }
  }

  void send(ServerTransaction tx, Response response) {
    try {
      tx.sendResponse(response);
    } catch (SipException | InvalidArgumentException | RuntimeException e) {
      LOG.debug("could not send {}: {}", response.getStatusCode(), e.toString());
    }
  }

  /**
   * Sends an in-dialog request of {@code method} on {@code dialog}, copying {@code body}'s body.
   */
  ClientTransaction inDialog(Dialog dialog, String method, Message body) {
    return inDialog(dialog, method, body, null);
  }

  /**
   * Sends an in-dialog request as {@link #inDialog(Dialog, String, Message)}, its client
   * transaction carrying {@code owner} (set before sending, so that its response finds it).
   *
   * @return the transaction, or null when nothing was sent
   */
  ClientTransaction inDialog(Dialog dialog, String method, Message body, Object owner) {
    if (dialog == null) {
      return null;
    }
    try {
      Request request = dialog.createRequest(method);
      if (body != null) {
        copyBody(body, request);
      }
      SipProvider provider = isPortal(dialog) ? portal : internal;
      ClientTransaction ct = provider.getNewClientTransaction(request);
      ct.setApplicationData(owner);
      dialog.sendRequest(ct);
      return ct;
    } catch (SipException | ParseException | RuntimeException e) {
      LOG.debug("{} not sent in dialog: {}", method, e.toString());
      return null;
    }
  }

  /**
   * Ends a dialog the stack gave up on after its call ended: BYE when confirmed, else deleted (an
   * early dialog cannot take a BYE from us, and jain-sip leaves it to the application).
   */
  void endDialog(Dialog dialog, Object owner) {
    if (dialog == null) {
      return;
    }
    if (dialog.getState() == javax.sip.DialogState.CONFIRMED) {
      inDialog(dialog, Request.BYE, null, owner);
    } else {
      dialog.delete();
    }
  }

  private static boolean isPortal(Dialog dialog) {
    Object data = dialog.getApplicationData();
    return data instanceof Side && ((Side) data).portalLeg();
  }

  /** ACKs a 2xx on its dialog. */
  void ack(Dialog dialog, Response response) {
    try {
      long cseq = ((javax.sip.header.CSeqHeader) response.getHeader("CSeq")).getSeqNumber();
      dialog.sendAck(dialog.createAck(cseq));
    } catch (SipException | InvalidArgumentException | RuntimeException e) {
      LOG.debug("ACK not sent: {}", e.toString());
    }
  }

  /** CANCELs a pending INVITE client transaction. */
  void cancel(SipProvider provider, ClientTransaction invite) {
    try {
      provider.getNewClientTransaction(invite.createCancel()).sendRequest();
    } catch (SipException | RuntimeException e) {
      LOG.debug("CANCEL not sent: {}", e.toString());
    }
  }

  /** The best digest challenge of a {@code 401}/{@code 407} (SHA-256 over MD5). */
  static Optional<DigestChallenge> challenge(Response response) {
    DigestChallenge md5 = null;
    for (String name : List.of(ProxyAuthenticateHeader.NAME, "WWW-Authenticate")) {
      ListIterator<?> values = response.getHeaders(name);
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
    }
    return Optional.ofNullable(md5);
  }

  /** The credentials of {@code ipgw} for a challenge. */
  String answer(
      DigestChallenge challenge, SipPassword b2bPassword, String method, String requestUri) {
    char[] password = b2bPassword.reveal().toCharArray();
    Ha1 ha1;
    try {
      ha1 = Ha1.compute(challenge.algorithm(), "ipgw", challenge.realm(), password);
    } finally {
      Arrays.fill(password, '\0');
    }
    byte[] cnonce = new byte[12];
    random.nextBytes(cnonce);
    return DigestAuthorization.answer(
            challenge, "ipgw", ha1, method, requestUri, HexFormat.of().formatHex(cnonce), 1)
        .toHeaderValue();
  }

  /** The user part of a SIP URI, or empty. */
  static String user(javax.sip.address.URI uri) {
    if (uri instanceof SipURI && ((SipURI) uri).getUser() != null) {
      return ((SipURI) uri).getUser();
    }
    return "";
  }

  /** The host part of a SIP URI, or empty. */
  static String host(javax.sip.address.URI uri) {
    if (uri instanceof SipURI && ((SipURI) uri).getHost() != null) {
      return ((SipURI) uri).getHost();
    }
    return "";
  }

  /** The device instance a message names in its Contact: {@code +sip.instance}, or {@code gr}. */
  static Optional<String> instance(Message message) {
    ContactHeader contact = (ContactHeader) message.getHeader(ContactHeader.NAME);
    if (contact == null) {
      return Optional.empty();
    }
    String instance = contact.getParameter("+sip.instance");
    if (instance != null) {
      String v = instance.replace("\"", "").replace("<", "").replace(">", "");
      return Optional.of(v.toLowerCase(Locale.ROOT));
    }
    if (contact.getAddress().getURI() instanceof SipURI) {
      String gr = ((SipURI) contact.getAddress().getURI()).getParameter("gr");
      if (gr != null) {
        return Optional.of(gr.toLowerCase(Locale.ROOT));
      }
    }
    return Optional.empty();
  }
}
