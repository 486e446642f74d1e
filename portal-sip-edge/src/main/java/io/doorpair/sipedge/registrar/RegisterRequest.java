package io.doorpair.sipedge.registrar;

import io.doorpair.sipedge.admission.SipAddress;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What the registrar needs of a REGISTER.
 *
 * @param from the From address (already checked against the certificate)
 * @param to the To address: the AOR to register
 * @param contacts the Contact fields, empty for a query
 * @param wildcard whether the request carried {@code Contact: *}
 * @param expires the Expires header in seconds, if any
 * @param supportsGruu whether the client sent {@code Supported: gruu}
 * @param flow the connection the request arrived on, {@code tls:<ip>:<port>}
 */
public record RegisterRequest(
    SipAddress from,
    SipAddress to,
    List<ContactField> contacts,
    boolean wildcard,
    OptionalLong expires,
    boolean supportsGruu,
    String flow) {
  /** Checks the components are present and copies the list. */
  public RegisterRequest {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    contacts = List.copyOf(contacts);
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(flow, "flow");
  }
}
