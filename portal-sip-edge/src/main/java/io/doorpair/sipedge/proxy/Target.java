package io.doorpair.sipedge.proxy;

import java.util.Objects;
import java.util.Optional;

/**
 * One place a request is sent to.
 *
 * @param flow the connection the target registered on, {@code tls:<ip>:<port>}: the request goes
 *     out over it and nowhere else
 * @param requestUri the Request-URI of the forwarded request: the registered Contact of a device,
 *     or the original Request-URI for a gateway
 * @param aor the address of record of the binding, {@code user@host}
 * @param route for a device held by another SIP node: that node's Path URI, pushed as the top Route
 *     ({@link #flow} is then the link to that node); empty for this node's own devices
 */
public record Target(String flow, String requestUri, String aor, Optional<String> route) {
  /** Checks the components are present. */
  public Target {
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(aor, "aor");
    Objects.requireNonNull(route, "route");
  }

  /** A target on this node (no Route). */
  public Target(String flow, String requestUri, String aor) {
    this(flow, requestUri, aor, Optional.empty());
  }
}
