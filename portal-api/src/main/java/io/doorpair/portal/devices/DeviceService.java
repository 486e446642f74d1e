package io.doorpair.portal.devices;

import io.doorpair.portal.crl.CrlService;
import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.welcome.api.DeviceInfo;
import io.doorpair.welcome.api.DeviceList;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lists a user's certificates and revokes one of them (a stolen phone, a sold gateway). */
public final class DeviceService {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceService.class);

  private final PortalStore store;
  private final CrlService crl;
  private final Clock clock;
  private final Consumer<List<BigInteger>> afterRevocation;

  /**
   * @param afterRevocation called with the serial once a revocation committed (voids the
   *     certificate's pending access requests and ends its long-polls)
   */
  public DeviceService(
      PortalStore store, CrlService crl, Clock clock, Consumer<List<BigInteger>> afterRevocation) {
    this.store = store;
    this.crl = crl;
    this.clock = clock;
    this.afterRevocation = afterRevocation;
  }

  /** Every certificate issued to the user's devices and gateways, newest first. */
  public DeviceList list(String owner) {
    return new DeviceList(
        store.listCertificatesOf(owner).stream().map(DeviceService::info).toList());
  }

  /**
   * Revokes one of the owner's certificates. A serial that is not theirs is reported as not found,
   * so nobody learns which serials exist.
   */
  public void revoke(String owner, String serialHex) {
    BigInteger serial = parseSerial(serialHex);
    CertificateRecord record =
        store
            .findCertificate(serial)
            .filter(c -> c.owner().equals(owner))
            .orElseThrow(() -> ApiException.notFound("no certificate " + serialHex + " of yours"));
    if (record.revoked()) {
      throw new ApiException(409, "already_revoked", "certificate " + serialHex + " is revoked");
    }
    if (!store.revoke(serial, clock.instant(), "owner_revoked")) {
      throw new ApiException(409, "already_revoked", "certificate " + serialHex + " is revoked");
    }
    try {
      afterRevocation.accept(List.of(serial));
    } catch (RuntimeException e) {
      // Committed anyway; an approval of a request of this serial is refused and voids it then.
      LOG.error("follow-up of the revocation of serial={} failed", serialHex, e);
    }
    crl.currentPem();
    LOG.info("revoked serial={} cn={} by owner={}", serialHex, record.commonName(), owner);
  }

  private static BigInteger parseSerial(String hex) {
    if (hex == null || !hex.matches("[0-9a-fA-F]{1,40}")) {
      throw ApiException.badRequest("bad_serial", "a serial is 1-40 hexadecimal digits");
    }
    return new BigInteger(hex.toLowerCase(Locale.ROOT), 16);
  }

  private static DeviceInfo info(CertificateRecord c) {
    return new DeviceInfo(
        c.serial().toString(16),
        c.kind().name().toLowerCase(Locale.ROOT),
        c.commonName(),
        c.friendlyName(),
        c.instance().map(UUID::toString).map(u -> "urn:uuid:" + u).orElse(null),
        c.gatewayDomain().orElse(null),
        c.notBefore().toString(),
        c.notAfter().toString(),
        c.revokedAt().map(Instant::toString).orElse(null));
  }
}
