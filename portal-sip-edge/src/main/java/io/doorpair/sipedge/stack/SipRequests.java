package io.doorpair.sipedge.stack;

import io.doorpair.sipedge.admission.SipAddress;
import io.doorpair.sipedge.registrar.ContactField;
import io.doorpair.sipedge.registrar.RegisterRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/** Reads the plain values {@code admission} and {@code registrar} need out of jain-sip requests. */
final class SipRequests {
  private SipRequests() {}

  /** The From address, or empty when it is missing or not a SIP/SIPS URI. */
  static Optional<SipAddress> from(Request request) {
    FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
    return from == null ? Optional.empty() : address(from.getAddress());
  }

  /** The To address, or empty when it is missing or not a SIP/SIPS URI. */
  static Optional<SipAddress> to(Request request) {
    ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
    return to == null ? Optional.empty() : address(to.getAddress());
  }

  static Optional<SipAddress> address(Address address) {
    if (address == null) {
      return Optional.empty();
    }
    URI uri = address.getURI();
    if (!(uri instanceof SipURI)) {
      return Optional.empty();
    }
    SipURI sip = (SipURI) uri;
    String user = sip.getUser() == null ? "" : sip.getUser();
    String host = sip.getHost() == null ? "" : sip.getHost();
    return Optional.of(new SipAddress(sip.getScheme(), user, host));
  }

  /** The REGISTER as the registrar sees it; empty when To is not a SIP URI. */
  static Optional<RegisterRequest> register(Request request, SipAddress from, String flow) {
    Optional<SipAddress> to = to(request);
    if (to.isEmpty()) {
      return Optional.empty();
    }
    List<ContactField> contacts = new ArrayList<>();
    boolean wildcard = false;
    ListIterator<?> headers = request.getHeaders(ContactHeader.NAME);
    while (headers.hasNext()) {
      ContactHeader contact = (ContactHeader) headers.next();
      if (contact.isWildCard()) {
        wildcard = true;
        continue;
      }
      int expires = contact.getExpires();
      contacts.add(
          new ContactField(
              contact.getAddress().getURI().toString(),
              Optional.ofNullable(contact.getParameter("+sip.instance")),
              expires < 0 ? OptionalLong.empty() : OptionalLong.of(expires)));
    }
    ExpiresHeader expires = (ExpiresHeader) request.getHeader(ExpiresHeader.NAME);
    boolean gruu = false;
    ListIterator<?> supported = request.getHeaders(SupportedHeader.NAME);
    while (supported.hasNext()) {
      String tag = ((SupportedHeader) supported.next()).getOptionTag();
      gruu |= tag != null && tag.trim().equalsIgnoreCase("gruu");
    }
    return Optional.of(
        new RegisterRequest(
            from,
            to.get(),
            contacts,
            wildcard,
            expires == null ? OptionalLong.empty() : OptionalLong.of(expires.getExpires()),
            gruu,
            flow));
  }
}
