package io.doorpair.portal.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The access flow's part of the store: guests, access requests, the gateways' push channels and
 * events. Same common rules as {@link PortalStore} (one transaction per method, conflicts throw
 * {@link StoreConflictException} and write nothing, millisecond instants).
 *
 * <p>Ordering guarantee: channel items and events get per-gateway sequence numbers with no gaps,
 * allocated under a lock on the gateway's row, so a reader that has seen seq N of a gateway has
 * seen every seq below N once it is committed: a cursor never skips an item committed later.
 */
public interface AccessStore {

  /**
   * Invites a guest. Returns false if they were already a guest (nothing changes). Throws {@link
   * StoreConflictException} if the gateway or the user is unknown, or the user is the owner.
   */
  boolean addGuest(GuestRecord guest);

  /**
   * Removes a guest and voids their pending requests on that gateway (each gets a {@code VOIDED}
   * channel item), in one transaction. Returns the voided requests, or empty if they were not a
   * guest.
   */
  Optional<List<AccessRequest>> removeGuest(String domain, String username, Instant at);

  /** The guests of a gateway, by username. */
  List<GuestRecord> listGuests(String domain);

  /** The gateways this user was invited to, oldest invitation first. */
  List<GatewayRecord> listGatewaysAsGuest(String username);

  /**
   * The request of this device instance on this gateway that is pending or approved, if any;
   * otherwise creates one (status pending, with a {@code NEW} channel item) and returns it. The
   * outcome says whether it was created. Atomic: two concurrent calls for one (instance, domain)
   * create one request. Throws {@link StoreConflictException} if the gateway is unknown.
   */
  RequestOutcome findOrCreateRequest(
      String domain,
      String username,
      UUID instance,
      BigInteger serial,
      String certificatePem,
      String friendlyName,
      Instant at);

  Optional<AccessRequest> findRequest(long id);

  /** The newest request of this instance on this gateway, whatever its status. */
  Optional<AccessRequest> latestRequest(String domain, UUID instance);

  /**
   * Approves a pending request. Returns the updated request, or empty if it is not pending (already
   * decided or voided: nothing changes).
   */
  Optional<AccessRequest> approve(long id, ApprovedAccount account, Instant at);

  /** Denies a pending request; empty if it is not pending. */
  Optional<AccessRequest> deny(long id, Instant at);

  /**
   * Voids every pending request made with this certificate serial (after a revocation), each with a
   * {@code VOIDED} channel item. Returns them.
   */
  List<AccessRequest> voidRequestsOf(BigInteger serial, Instant at);

  /** Channel items of a gateway after the cursor, at most {@code limit}, in seq order. */
  List<ChannelItem> channelAfter(String domain, long cursor, int limit);

  /** The highest channel seq of the gateway (0 when none). */
  long channelHead(String domain);

  /**
   * Stores a batch of events of a gateway in order, skipping event ids already stored for it.
   * Returns how many were new.
   */
  int appendEvents(String domain, List<NewEvent> events, Instant receivedAt);

  /** Events of a gateway after a seq, at most {@code limit}, in seq order. */
  List<StoredEvent> eventsAfter(String domain, long afterSeq, int limit);

  /** The highest event seq of the gateway (0 when none). */
  long eventHead(String domain);

  /**
   * True if this user holds an approved request on the gateway (any of their devices, whatever the
   * status of the certificate).
   */
  boolean hasApprovedAccount(String domain, String username);

  /** What {@link #findOrCreateRequest} found or made. */
  record RequestOutcome(AccessRequest request, boolean created) {}
}
