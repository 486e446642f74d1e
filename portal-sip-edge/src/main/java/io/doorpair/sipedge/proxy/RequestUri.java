package io.doorpair.sipedge.proxy;

import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a SIP Request-URI that routing looks at.
 *
 * @param text the whole URI as received (kept as the Request-URI towards a gateway)
 * @param user the user part as written, empty when there is none
 * @param host the host part
 * @param gr the {@code gr} URI parameter (RFC 5627), if present
 */
public record RequestUri(String text, String user, String host, Optional<String> gr) {
  /** Checks the components are present. */
  public RequestUri {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(gr, "gr");
  }
}
