package io.doorpair.sipedge.proxy;

import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.registrar.NodeLiveness;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Target resolution of DESIGN §7. A Request-URI {@code user@<portal domain>} goes to every live
 * binding of that user (in parallel); one carrying {@code ;gr=urn:uuid:...} (a public GRUU) goes to
 * exactly that device; {@code anyone@DOMAIN} for any other host goes to the connection where {@code
 * ipgw@DOMAIN} registered. Bindings are never dialled: each target names the connection ({@link
 * Target#flow()}) its REGISTER arrived on. An empty list means nobody is reachable ({@code 480}).
 */
public final class Targets {
  private static final Logger LOG = LoggerFactory.getLogger(Targets.class);

  /** The user part of a gateway's AOR. */
  public static final String GATEWAY_USER = "ipgw";

  private static final Pattern UUID_FORM =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final String domain;
  private final Bindings bindings;
  private final Clock clock;
  private final NodeLiveness nodes;
  private final NodeRoutes routes;

  /**
   * A resolver for the portal {@code domain} whose bindings are not shared (every binding is this
   * node's).
   *
   * @param domain the portal SIP domain (app CNs are {@code user@domain})
   * @param bindings the registrar's bindings
   * @param clock for binding expiry
   */
  public Targets(String domain, Bindings bindings, Clock clock) {
    this(domain, bindings, clock, NodeLiveness.ASSUME_RUNNING);
  }

  /**
   * A resolver for the portal {@code domain} on bindings shared between nodes.
   *
   * @param domain the portal SIP domain (app CNs are {@code user@domain})
   * @param bindings the registrar's bindings
   * @param clock for binding expiry
   * @param nodes which nodes run: a binding held by a node that does not is removed when met
   */
  public Targets(String domain, Bindings bindings, Clock clock, NodeLiveness nodes) {
    this(domain, bindings, clock, nodes, NodeRoutes.NONE);
  }

  /**
   * A resolver for the portal {@code domain} on bindings shared between nodes that route to each
   * other: a binding held by another running node, with that node's Path, becomes a target over the
   * link to that node with the Path as its Route.
   *
   * @param domain the portal SIP domain (app CNs are {@code user@domain})
   * @param bindings the registrar's bindings
   * @param clock for binding expiry
   * @param nodes which nodes run: a binding held by a node that does not is removed when met
   * @param routes the links to the other nodes
   */
  public Targets(
      String domain, Bindings bindings, Clock clock, NodeLiveness nodes, NodeRoutes routes) {
    this.routes = Objects.requireNonNull(routes, "routes");
    this.nodes = Objects.requireNonNull(nodes, "nodes");
    this.domain = Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (this.domain.isBlank()) {
      throw new IllegalArgumentException("the portal domain is empty");
    }
  }

  /** The portal SIP domain, lower case. */
  public String domain() {
    return domain;
  }

  /** Whether {@code host} is the portal domain (ASCII case-insensitive). */
  public boolean isPortalDomain(String host) {
    return host != null && host.toLowerCase(Locale.ROOT).equals(domain);
  }

  /**
   * Where a request for {@code requestUri} goes.
   *
   * @param requestUri the Request-URI as the stack adapter read it
   * @return the targets, in a stable order; empty when no binding is live
   * @throws io.doorpair.sipedge.registrar.BindingsUnavailableException when a shared store fails
   */
  public List<Target> resolve(RequestUri requestUri) {
    Objects.requireNonNull(requestUri, "requestUri");
    String host = requestUri.host().toLowerCase(Locale.ROOT);
    if (requestUri.user().isEmpty()) {
      return List.of();
    }
    if (host.equals(domain)) {
      String aor = requestUri.user().toLowerCase(Locale.ROOT) + "@" + domain;
      Optional<String> key = requestUri.gr().map(Targets::gruuKey);
      if (key.isPresent() && key.get().isEmpty()) {
        return List.of(); // a malformed gr never matches a device
      }
      List<Target> found = new ArrayList<>();
      for (Binding b : sorted(bindings.of(aor, clock.instant()))) {
        if (key.isEmpty() || key.get().equals(b.key())) {
          reach(b, b.contact()).ifPresent(found::add);
        }
      }
      return List.copyOf(found);
    }
    String gateway = GATEWAY_USER + "@" + host;
    List<Target> found = new ArrayList<>();
    for (Binding b : sorted(bindings.of(gateway, clock.instant()))) {
      reach(b, requestUri.text()).ifPresent(found::add);
    }
    return List.copyOf(found);
  }

  /**
   * How {@code b} is reached. A binding made over one of this node's connections: over that
   * connection. A binding of another node: a flow name means nothing here (it could even name
   * another device's connection), so only over the link to that node, with the node's own Path as
   * Route, when the node runs and the link works. A binding of a node whose heartbeat is gone is
   * removed here (only if the device has not registered again since), so the caller gets {@code
   * 480} at once and later lookups no longer meet it.
   */
  private Optional<Target> reach(Binding b, String requestUri) {
    if (b.node().equals(bindings.node())) {
      return Optional.of(new Target(b.flow(), requestUri, b.aor()));
    }
    if (!nodes.alive(b.node())) {
      if (bindings.removeExactly(b)) {
        LOG.debug("binding {} of {} on stopped node {} removed", b.key(), b.aor(), b.node());
      }
      return Optional.empty();
    }
    if (b.path().isEmpty()) {
      return Optional.empty();
    }
    return routes
        .linkTo(b.node())
        .map(link -> new Target(link, requestUri, b.aor(), Optional.of(b.path())));
  }

  private static List<Binding> sorted(List<Binding> bindings) {
    List<Binding> copy = new ArrayList<>(bindings);
    copy.sort(Comparator.comparing(Binding::key));
    return copy;
  }

  /** {@code urn:uuid:<uuid>} in lower case, or empty when {@code gr} is not such a value. */
  private static String gruuKey(String gr) {
    String v = gr.trim().toLowerCase(Locale.ROOT);
    if (!v.startsWith("urn:uuid:")) {
      return "";
    }
    String uuid = v.substring("urn:uuid:".length());
    return UUID_FORM.matcher(uuid).matches() ? "urn:uuid:" + uuid : "";
  }
}
