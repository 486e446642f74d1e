package io.doorpair.portal.access;

import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.PortalStore;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who sees which gateway (docs/access-flow.md): the owner paired it; guests were invited by the
 * owner; a gateway is joinable for its owner and guests only; its events are seen by the owner and
 * by guests who hold an approved account.
 */
public final class Gateways {
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]{12}");

  private final PortalStore store;

  public Gateways(PortalStore store) {
    this.store = store;
  }

  /** True if the text has the shape of a gateway DOMAIN: 12 characters of {@code [a-z0-9]}. */
  public static boolean isDomain(String text) {
    return text != null && DOMAIN.matcher(text).matches();
  }

  /** The DOMAIN of a path, or {@code 400 bad_domain}. */
  public static String requireDomain(String text) {
    if (!isDomain(text)) {
      throw ApiException.badRequest(
          "bad_domain", "a gateway DOMAIN is 12 characters of lowercase letters and digits");
    }
    return text;
  }

  /** The gateway, or {@code 400 bad_domain} / {@code 404 unknown_gateway}. */
  public GatewayRecord require(String domainText) {
    String domain = requireDomain(domainText);
    return store
        .findGateway(domain)
        .orElseThrow(
            () -> new ApiException(404, "unknown_gateway", "no gateway " + domain + " is paired"));
  }

  /** The gateway if this user may join it, else {@code 403 not_joinable}. */
  public GatewayRecord requireJoinable(String domainText, String username) {
    GatewayRecord gateway = require(domainText);
    if (!isJoinable(gateway, username)) {
      throw ApiException.forbidden(
          "not_joinable",
          "gateway "
              + gateway.domain()
              + " is not joinable for you: ask its owner for an invitation");
    }
    return gateway;
  }

  /** The gateway if this user owns it, else {@code 403 not_owner}. */
  public GatewayRecord requireOwned(String domainText, String username) {
    GatewayRecord gateway = require(domainText);
    if (!gateway.owner().equals(username)) {
      throw ApiException.forbidden(
          "not_owner", "only the owner of gateway " + gateway.domain() + " may do this");
    }
    return gateway;
  }

  /** True for the owner and the guests of the gateway. */
  public boolean isJoinable(GatewayRecord gateway, String username) {
    return gateway.owner().equals(username) || isGuest(gateway.domain(), username);
  }

  /** True for the owner, and for a guest who holds an approved account on it. */
  public boolean seesEvents(GatewayRecord gateway, String username) {
    if (gateway.owner().equals(username)) {
      return true;
    }
    return isGuest(gateway.domain(), username)
        && store.hasApprovedAccount(gateway.domain(), username);
  }

  /** The gateways this user owns (oldest first), then those they are a guest of. */
  public List<Joinable> joinableBy(String username) {
    List<Joinable> all = new ArrayList<>();
    store.listGatewaysOf(username).forEach(g -> all.add(new Joinable(g, true)));
    store.listGatewaysAsGuest(username).forEach(g -> all.add(new Joinable(g, false)));
    return List.copyOf(all);
  }

  /** The gateways whose events this user sees, owned first. */
  public List<GatewayRecord> withEventsFor(String username) {
    List<GatewayRecord> visible = new ArrayList<>(store.listGatewaysOf(username));
    for (GatewayRecord guest : store.listGatewaysAsGuest(username)) {
      if (store.hasApprovedAccount(guest.domain(), username)) {
        visible.add(guest);
      }
    }
    return List.copyOf(visible);
  }

  private boolean isGuest(String domain, String username) {
    return store.listGuests(domain).stream().anyMatch(g -> g.username().equals(username));
  }

  /** A gateway and whether the user owns it. */
  public record Joinable(GatewayRecord gateway, boolean owner) {}
}
