package io.doorpair.portal.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the portal remembers. Implementations are thread-safe; every method is one
 * transaction, so a failure leaves nothing half-written. Uniqueness (usernames, gateway domains,
 * serials) is enforced by the database itself, so two processes sharing one database never both
 * succeed where only one may.
 *
 * <p>Common rules of every method:
 *
 * <ul>
 *   <li>instants are kept to the millisecond (finer parts are dropped);
 *   <li>a write refused by a rule of the store throws {@link StoreConflictException} (or its
 *       subclass {@link DomainTakenException}) and writes nothing;
 *   <li>an argument that breaks the documented shape of a record throws {@link
 *       IllegalArgumentException} and writes nothing;
 *   <li>a database failure throws {@link StoreException};
 *   <li>any call after {@link #close()} throws {@link IllegalStateException}.
 * </ul>
 *
 * <p>Open one with {@code io.doorpair.portal.store.jdbc.JdbcStores.open(jdbcUrl)}.
 */
public interface PortalStore extends AccessStore, AutoCloseable {

  /**
   * Creates a user. Throws {@link StoreConflictException} if the username exists, or if it belonged
   * to a deleted user whose gateways or certificates are still on record (a new user must never
   * inherit them).
   */
  void createUser(UserRecord user);

  /** Replaces a user's HA1 values. Returns false if there is no such user. */
  boolean updateUserHa1(String username, String ha1Sha256, String ha1Md5);

  /**
   * Deletes a user. Their gateways, certificates and access requests stay (and can still be listed
   * for audit). In the same transaction every certificate of theirs that was still live is revoked
   * at {@code at} with the reason {@code user_deleted}, their guest invitations are removed (a new
   * user of the same name must not inherit them), and their pending access requests are voided,
   * each with a {@code VOIDED} channel item. Returns false if there is no such user.
   */
  boolean deleteUser(String username, Instant at);

  Optional<UserRecord> findUser(String username);

  /** All users, ordered by username (plain character order). */
  List<UserRecord> listUsers();

  /**
   * Records a paired gateway and its first certificate in one transaction. Throws {@link
   * DomainTakenException} if the domain was ever recorded before (domains are never reused, even
   * after revocation or after the owner's deletion); in that case nothing is written. Throws {@link
   * StoreConflictException} if the owner is not a user (any more) or the serial was recorded
   * before. The certificate must be a live {@link CertificateRecord.Kind#GATEWAY} certificate of
   * the same owner and domain, without instance and without renewal link.
   */
  void recordGatewayPairing(GatewayRecord gateway, CertificateRecord certificate);

  /**
   * Records an app certificate: a live {@link CertificateRecord.Kind#APP} certificate with a device
   * instance, without gateway domain and without renewal link. Throws {@link
   * StoreConflictException} on a duplicate serial or if the owner is not a user (any more).
   */
  void recordCertificate(CertificateRecord certificate);

  /**
   * Records a renewal: the new certificate, linked to the old serial. The old one stays valid until
   * it expires or is revoked. The new certificate must be live and have the old one's kind, owner,
   * common name, gateway domain and instance; its {@code renewedFrom} must be empty or the old
   * serial. Throws {@link StoreConflictException} if the old certificate is unknown or revoked
   * (checked in the same transaction, so a renewal racing a revocation never escapes it), if the
   * owner is not a user (any more) or on a duplicate serial.
   */
  void recordRenewal(BigInteger oldSerial, CertificateRecord renewed);

  Optional<CertificateRecord> findCertificate(BigInteger serial);

  /** Every certificate issued to this user's devices and gateways, newest first. */
  List<CertificateRecord> listCertificatesOf(String owner);

  Optional<GatewayRecord> findGateway(String domain);

  /** The gateways this user paired, oldest first. */
  List<GatewayRecord> listGatewaysOf(String owner);

  /**
   * Revokes a certificate. Returns true if it was live and is now revoked, false if it was already
   * revoked or unknown. The reason is a short code such as {@code owner_revoked} (1-64 characters).
   */
  boolean revoke(BigInteger serial, Instant at, String reason);

  /** True if the certificate is known and revoked; false for a live or unknown serial. */
  boolean isRevoked(BigInteger serial);

  /** All revoked serials with their revocation times and reasons, for the CRL, oldest first. */
  List<Revocation> revocations();

  /** Releases the database connections. Idempotent. */
  @Override
  void close();
}
