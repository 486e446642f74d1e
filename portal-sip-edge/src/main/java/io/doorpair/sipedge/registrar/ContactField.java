package io.doorpair.sipedge.registrar;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One Contact of a REGISTER, as the stack adapter read it.
 *
 * @param uri the contact URI as written
 * @param instance the {@code +sip.instance} parameter value, as written (quotes and angle brackets
 *     possibly still around it), if any
 * @param expires the contact's {@code expires} parameter in seconds, if any
 */
public record ContactField(String uri, Optional<String> instance, OptionalLong expires) {
  /** Checks the components are present. */
  public ContactField {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(expires, "expires");
  }
}
