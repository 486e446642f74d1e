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
 * <p>Argument shapes, refused with {@link IllegalArgumentException} by every method that takes
 * them: a gateway domain is 12 characters of {@code [a-z0-9]}; a username follows the portal's rule
 * ({@code [a-z0-9][a-z0-9._-]{0,63}}); a serial is positive and at most 20 octets; a {@code limit}
 * is 1-500; a cursor or seq is not negative; an instant fits in epoch milliseconds.
 *
 * <p>Ordering guarantee: channel items and events get per-gateway sequence numbers 1, 2, 3... with
 * no gaps, allocated under a lock on the gateway's row held until the transaction commits, so seqs
 * of a gateway commit in order: a reader that has seen seq N will never later see a new seq below
 * N, and a cursor never skips an item committed later.
 */
public interface AccessStore {

  /**
   * Invites a guest. Returns false if they were already a guest (nothing changes, the first
   * invitation time stays). Throws {@link StoreConflictException} if the gateway or the user is
   * unknown, or the user is the gateway's owner.
   */
  boolean addGuest(GuestRecord guest);

  /**
   * Removes a guest and voids their pending requests on that gateway (each gets a {@code VOIDED}
   * channel item), in one transaction. Their approved requests stay approved. Returns the voided
   * requests (possibly none), or empty if they were not a guest (or the gateway is unknown).
   */
  Optional<List<AccessRequest>> removeGuest(String domain, String username, Instant at);

  /** The guests of a gateway, by username (plain character order); empty if none or unknown. */
  List<GuestRecord> listGuests(String domain);

  /**
   * The gateways this user is invited to, oldest invitation first (then by domain). Invitations go
   * when the user is deleted.
   */
  List<GatewayRecord> listGatewaysAsGuest(String username);

  /**
   * The request of this user's device instance on this gateway that is pending or approved, if any;
   * otherwise creates one (status pending, with a {@code NEW} channel item) and returns it. The
   * outcome says whether it was created. Atomic: two concurrent calls for one (domain, username,
   * instance), from any number of processes, create one request. The user is part of the key: an
   * app may propose its instance id, and two users of one shared device have the same one; neither
   * ever gets the other's request.
   *
   * <p>Throws {@link StoreConflictException} if the gateway is unknown; if it is not joinable for
   * the user (neither its owner nor a guest, checked under the gateway's lock, so a concurrent
   * {@link #removeGuest} either comes first and refuses this, or comes after and voids the new
   * request); or if {@code serial} is not a live app certificate of {@code username} for {@code
   * instance} (checked under a lock on the certificate's row, so a request made with a certificate
   * being revoked is seen by the {@link #voidRequestsOf} that follows the revocation). An existing
   * request is returned only if those checks pass. {@code certificatePem} and {@code friendlyName}
   * are stored as given (1-16384 and 1-256 characters, not blank, without NUL).
   */
  RequestOutcome findOrCreateRequest(
      String domain,
      String username,
      UUID instance,
      BigInteger serial,
      String certificatePem,
      String friendlyName,
      Instant at);

  /** The request with this id, whatever its status. */
  Optional<AccessRequest> findRequest(long id);

  /**
   * The newest request of this user's device instance on this gateway, whatever its status (the one
   * created last). Another user's requests with the same instance are never returned.
   */
  Optional<AccessRequest> latestRequest(String domain, String username, UUID instance);

  /**
   * Approves a pending request. Returns the updated request, or empty if it is unknown or not
   * pending (already decided or voided: nothing changes). Of an approval, a denial and a voiding
   * racing for one request, exactly one succeeds. The account's shape is checked ({@link
   * IllegalArgumentException}): the SIP username as {@link ApprovedAccount} says, the encrypted
   * password padded standard base64 of 1-1024 characters, the GRUU a {@code sip:} URI of at most
   * 512 printable ASCII characters; whether the GRUU and the ciphertext fit the certificate is the
   * caller's to check.
   */
  Optional<AccessRequest> approve(long id, ApprovedAccount account, Instant at);

  /** Denies a pending request; empty if it is unknown or not pending. */
  Optional<AccessRequest> deny(long id, Instant at);

  /**
   * Voids a pending or approved request at its gateway's demand (the security code was typed wrong
   * too often, or the owner removed the device): status {@code VOID}, the account's SIP username,
   * encrypted password and GRUU erased, no channel item (the gateway asked). Returns the updated
   * request, or empty if it is unknown or neither pending nor approved (nothing changes). Of this
   * and a concurrent approval, denial or voiding, exactly one changes a pending request.
   */
  Optional<AccessRequest> voidAtGateway(long id, Instant at);

  /**
   * Voids every pending request made with this certificate serial, on every gateway, each with a
   * {@code VOIDED} channel item. Returns them, by domain then id. Call it after the certificate is
   * revoked: from then on {@link #findOrCreateRequest} refuses the certificate, so no pending
   * request of it is left behind.
   */
  List<AccessRequest> voidRequestsOf(BigInteger serial, Instant at);

  /**
   * Channel items of a gateway after the cursor (a seq), at most {@code limit}, in seq order; empty
   * for an unknown gateway.
   */
  List<ChannelItem> channelAfter(String domain, long cursor, int limit);

  /** The highest channel seq of the gateway (0 when none, or for an unknown gateway). */
  long channelHead(String domain);

  /**
   * Stores a batch of 1-100 events of a gateway in the given order, skipping event ids already
   * stored for it and repeated ids within the batch (the first occurrence wins). Returns how many
   * were new. Every event is checked first ({@link NewEvent} says the shapes): one bad event
   * refuses the whole batch. Throws {@link StoreConflictException} if the gateway is unknown.
   */
  int appendEvents(String domain, List<NewEvent> events, Instant receivedAt);

  /**
   * Events of a gateway after a seq, at most {@code limit}, in seq order; empty for an unknown
   * gateway.
   */
  List<StoredEvent> eventsAfter(String domain, long afterSeq, int limit);

  /** The highest event seq of the gateway (0 when none, or for an unknown gateway). */
  long eventHead(String domain);

  /**
   * True if this user holds an approved request on the gateway (any of their devices, whatever the
   * status of the certificate, whether or not they are still a guest).
   */
  boolean hasApprovedAccount(String domain, String username);

  /** What {@link #findOrCreateRequest} found or made. */
  record RequestOutcome(AccessRequest request, boolean created) {}
}
