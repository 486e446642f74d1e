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
 */
public interface PortalStore extends AutoCloseable {

  /** Creates a user. Throws {@link StoreConflictException} if the username exists. */
  void createUser(UserRecord user);

  /** Replaces a user's HA1 values. Returns false if there is no such user. */
  boolean updateUserHa1(String username, String ha1Sha256, String ha1Md5);

  /**
   * Deletes a user. Their certificates stay (and can still be listed for audit) but are revoked at
   * {@code at}. Returns false if there is no such user.
   */
  boolean deleteUser(String username, Instant at);

  Optional<UserRecord> findUser(String username);

  List<UserRecord> listUsers();

  /**
   * Records a paired gateway and its first certificate in one transaction. Throws {@link
   * DomainTakenException} if the domain was ever recorded before (domains are never reused, even
   * after revocation); in that case nothing is written.
   */
  void recordGatewayPairing(GatewayRecord gateway, CertificateRecord certificate);

  /** Records an app certificate. Throws {@link StoreConflictException} on a duplicate serial. */
  void recordCertificate(CertificateRecord certificate);

  /**
   * Records a renewal: the new certificate, linked to the old serial. The old one stays valid until
   * it expires or is revoked.
   */
  void recordRenewal(BigInteger oldSerial, CertificateRecord renewed);

  Optional<CertificateRecord> findCertificate(BigInteger serial);

  /** Every certificate issued to this user's devices and gateways, newest first. */
  List<CertificateRecord> listCertificatesOf(String owner);

  Optional<GatewayRecord> findGateway(String domain);

  List<GatewayRecord> listGatewaysOf(String owner);

  /**
   * Revokes a certificate. Returns true if it was live and is now revoked, false if it was already
   * revoked or unknown.
   */
  boolean revoke(BigInteger serial, Instant at, String reason);

  boolean isRevoked(BigInteger serial);

  /** All revoked serials with their revocation times, for the CRL. */
  List<Revocation> revocations();

  @Override
  void close();
}
