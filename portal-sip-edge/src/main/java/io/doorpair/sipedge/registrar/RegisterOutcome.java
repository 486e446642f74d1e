package io.doorpair.sipedge.registrar;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** What to answer to a REGISTER: {@link Accepted} (200) or {@link Refused}. */
public sealed interface RegisterOutcome {

  /**
   * {@code 200 OK} listing the AOR's current bindings.
   *
   * @param contacts one entry per live binding of the AOR
   */
  record Accepted(List<RegisteredContact> contacts) implements RegisterOutcome {
    /** Copies the list. */
    public Accepted {
      contacts = List.copyOf(contacts);
    }
  }

  /**
   * An error response.
   *
   * @param status the SIP status code
   * @param reason the reason phrase
   * @param minExpires the {@code Min-Expires} value to send (with 423)
   */
  record Refused(int status, String reason, OptionalLong minExpires) implements RegisterOutcome {
    /** Checks the components. */
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(minExpires, "minExpires");
    }
  }

  /**
   * A Contact of the 200 OK.
   *
   * @param uri the contact URI as registered
   * @param expiresSeconds seconds left
   * @param instance the {@code +sip.instance} value to echo, {@code <urn:uuid:...>}, if any
   * @param publicGruu the {@code pub-gruu} to add, when the client supports GRUU
   */
  record RegisteredContact(
      String uri, long expiresSeconds, Optional<String> instance, Optional<String> publicGruu) {
    /** Checks the components. */
    public RegisteredContact {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(publicGruu, "publicGruu");
    }
  }
}
