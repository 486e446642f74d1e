package io.doorpair.portal.guests;

import io.doorpair.portal.access.Gateways;
import io.doorpair.portal.access.RequestVoider;
import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.GuestRecord;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.StoreConflictException;
import io.doorpair.portal.users.Usernames;
import io.doorpair.welcome.api.GuestInfo;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The owner's guest endpoints: list, invite, remove. Only the owner of a gateway may call them. */
public final class GuestService {
  private static final Logger LOG = LoggerFactory.getLogger(GuestService.class);

  private final PortalStore store;
  private final Gateways gateways;
  private final RequestVoider voider;
  private final Clock clock;

  public GuestService(PortalStore store, RequestVoider voider, Clock clock) {
    this.store = store;
    this.gateways = new Gateways(store);
    this.voider = voider;
    this.clock = clock;
  }

  /** What {@link #invite} did. */
  public record Invitation(GuestInfo guest, boolean created) {}

  /** {@code GET /api/gateways/DOMAIN/guests}. */
  public List<GuestInfo> list(Principal.AppDevice owner, String domainText) {
    GatewayRecord gateway = gateways.requireOwned(domainText, owner.username());
    return store.listGuests(gateway.domain()).stream().map(GuestService::view).toList();
  }

  /** {@code PUT /api/gateways/DOMAIN/guests/USER}. */
  public Invitation invite(Principal.AppDevice owner, String domainText, String userText) {
    GatewayRecord gateway = gateways.requireOwned(domainText, owner.username());
    String username = requireUsername(userText);
    if (username.equals(gateway.owner())) {
      throw ApiException.badRequest(
          "owner_cannot_be_guest", "the owner of a gateway cannot be its guest");
    }
    if (store.findUser(username).isEmpty()) {
      throw new ApiException(404, "unknown_user", "no portal user " + username);
    }
    boolean created;
    try {
      created = store.addGuest(new GuestRecord(gateway.domain(), username, clock.instant()));
    } catch (StoreConflictException e) {
      // The user was deleted meanwhile.
      throw new ApiException(404, "unknown_user", "no portal user " + username);
    }
    GuestRecord guest =
        store.listGuests(gateway.domain()).stream()
            .filter(g -> g.username().equals(username))
            .findFirst()
            .orElseThrow(() -> new ApiException(404, "unknown_user", "no portal user " + username));
    if (created) {
      LOG.info(
          "guest invited domain={} guest={} by owner={}",
          gateway.domain(),
          username,
          owner.username());
    }
    return new Invitation(view(guest), created);
  }

  /** {@code DELETE /api/gateways/DOMAIN/guests/USER}; the guest's pending requests are voided. */
  public void remove(Principal.AppDevice owner, String domainText, String userText) {
    GatewayRecord gateway = gateways.requireOwned(domainText, owner.username());
    String username = requireUsername(userText);
    Optional<List<AccessRequest>> voided =
        store.removeGuest(gateway.domain(), username, clock.instant());
    if (voided.isEmpty()) {
      throw new ApiException(
          404, "not_a_guest", username + " is not a guest of gateway " + gateway.domain());
    }
    voider.published(voided.get());
    LOG.info(
        "guest removed domain={} guest={} voided_requests={}",
        gateway.domain(),
        username,
        voided.get().size());
  }

  private static String requireUsername(String text) {
    return Usernames.canonical(text)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "bad_username",
                    "a username is 1-64 characters of a-z, 0-9, '.', '_' and '-', starting with a"
                        + " letter or digit"));
  }

  private static GuestInfo view(GuestRecord guest) {
    return new GuestInfo(guest.username(), guest.invitedAt());
  }
}
