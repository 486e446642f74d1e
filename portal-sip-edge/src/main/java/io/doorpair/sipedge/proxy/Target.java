package io.doorpair.sipedge.proxy;

import java.util.Objects;

/**
 * One place a request is sent to.
 *
 * @param flow the connection the target registered on, {@code tls:<ip>:<port>}: the request goes
 *     out over it and nowhere else
 * @param requestUri the Request-URI of the forwarded request: the registered Contact of a device,
 *     or the original Request-URI for a gateway
 * @param aor the address of record of the binding, {@code user@host}
 */
public record Target(String flow, String requestUri, String aor) {
  /** Checks the components are present. */
  public Target {
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(aor, "aor");
  }
}
