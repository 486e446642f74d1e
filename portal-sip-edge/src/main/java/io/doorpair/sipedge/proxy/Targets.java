package io.doorpair.sipedge.proxy;

import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.Bindings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Target resolution of DESIGN §7. A Request-URI {@code user@<portal domain>} goes to every live
 * binding of that user (in parallel); one carrying {@code ;gr=urn:uuid:...} (a public GRUU) goes to
 * exactly that device; {@code anyone@DOMAIN} for any other host goes to the connection where {@code
 * ipgw@DOMAIN} registered. Bindings are never dialled: each target names the connection ({@link
 * Target#flow()}) its REGISTER arrived on. An empty list means nobody is reachable ({@code 480}).
 */
public final class Targets {
  /** The user part of a gateway's AOR. */
  public static final String GATEWAY_USER = "ipgw";

  private static final Pattern UUID_FORM =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final String domain;
  private final Bindings bindings;
  private final Clock clock;

  /**
   * A resolver for the portal {@code domain}.
   *
   * @param domain the portal SIP domain (app CNs are {@code user@domain})
   * @param bindings the registrar's bindings
   * @param clock for binding expiry
   */
  public Targets(String domain, Bindings bindings, Clock clock) {
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
        if (!local(b)) {
          continue;
        }
        if (key.isEmpty() || key.get().equals(b.key())) {
          found.add(new Target(b.flow(), b.contact(), b.aor()));
        }
      }
      return List.copyOf(found);
    }
    String gateway = GATEWAY_USER + "@" + host;
    List<Target> found = new ArrayList<>();
    for (Binding b : sorted(bindings.of(gateway, clock.instant()))) {
      if (!local(b)) {
        continue;
      }
      found.add(new Target(b.flow(), requestUri.text(), b.aor()));
    }
    return List.copyOf(found);
  }

  /**
   * Whether {@code b} was made over one of this node's connections: a flow name means nothing on
   * another node (it could even name another device's connection here).
   */
  private boolean local(Binding b) {
    return b.node().equals(bindings.node());
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
