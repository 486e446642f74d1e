package io.doorpair.bench;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CaSettings;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.ca.IssuedCertificate;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.Ha1;
import io.doorpair.portal.PortalConfig;
import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.UserRecord;
import io.doorpair.portal.store.jdbc.JdbcStores;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds the data set of the access bench before any portal runs, with the portal's own parts: the
 * CA in a data folder through {@link CaKeyFiles#loadOrCreate} with the settings {@code portal
 * serve} uses ({@link CaSettings#defaults()}), real CA-issued certificates (the same calls as
 * pairing: {@link CertificateAuthority#issueClient}, signed on 2 threads), and the records written
 * through {@link JdbcStores#open} one transaction each, exactly as pairing writes them. What it
 * skips is the HTTPS round trip and the digest of each pairing; the client RSA keys are a few,
 * shared by many devices, to save key generation.
 */
final class AccessSeeder {
  static final String PASSWORD = "bench password";
  static final int CLIENT_KEYS = 8;

  private AccessSeeder() {}

  /**
   * Creates the CA in {@code caDir}, issues the certificates, writes them into each store and the
   * client side of the data set into {@code stateFile}.
   */
  static void seed(
      Path caDir, Path stateFile, int gatewayCount, int appsPerGateway, List<String> storeUrls)
      throws Exception {
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    Results results = new Results();
    CertificateAuthority ca =
        CaKeyFiles.loadOrCreate(caDir, CaSettings.defaults(), clock, random);

    long start = System.nanoTime();
    List<KeyPair> keys = new ArrayList<>();
    for (int i = 0; i < CLIENT_KEYS; i++) {
      keys.add(RsaKeys.generate(2048, random));
    }
    results.put("seed.keys_s", seconds(start));

    start = System.nanoTime();
    ExecutorService signers = Executors.newFixedThreadPool(2);
    List<Future<Owner>> futures = new ArrayList<>();
    for (int g = 0; g < gatewayCount; g++) {
      int index = g;
      futures.add(signers.submit(() -> issue(ca, keys, index, appsPerGateway)));
    }
    List<Owner> owners = new ArrayList<>();
    for (Future<Owner> f : futures) {
      owners.add(f.get());
    }
    signers.shutdown();
    int certificates = gatewayCount * (1 + appsPerGateway);
    results.put("seed.certificates", certificates);
    results.put("seed.sign_s", seconds(start));

    for (String url : storeUrls) {
      start = System.nanoTime();
      writeStore(url, owners, clock);
      String name = url.startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite";
      results.put("seed.store_" + name + "_s", seconds(start));
    }

    List<PrivateKey> privateKeys = keys.stream().map(KeyPair::getPrivate).toList();
    List<AccessDataSet.Gateway> gateways = new ArrayList<>();
    for (Owner o : owners) {
      gateways.add(new AccessDataSet.Gateway(o.gatewayDevice(), o.appDevices()));
    }
    new AccessDataSet(privateKeys, gateways).write(stateFile);
    results.put("seed.gateways", gatewayCount);
    results.put("seed.apps", gatewayCount * appsPerGateway);
    results.print();
  }

  /** One owner's records: user, gateway with its certificate, app certificates. */
  private record Owner(
      String username,
      String domain,
      int key,
      IssuedCertificate gatewayCertificate,
      List<IssuedCertificate> appCertificates,
      List<Integer> appKeys) {
    AccessDataSet.Device gatewayDevice() {
      return new AccessDataSet.Device(username, domain, key, gatewayCertificate.pem());
    }

    List<AccessDataSet.Device> appDevices() {
      List<AccessDataSet.Device> devices = new ArrayList<>();
      for (int i = 0; i < appCertificates.size(); i++) {
        IssuedCertificate c = appCertificates.get(i);
        devices.add(
            new AccessDataSet.Device(
                username, c.instance().orElseThrow().toString(), appKeys.get(i), c.pem()));
      }
      return devices;
    }
  }

  private static Owner issue(
      CertificateAuthority ca, List<KeyPair> keys, int index, int appsPerGateway) {
    String owner = AccessDataSet.owner(index);
    String domain = AccessDataSet.domain(index);
    int gatewayKey = index % keys.size();
    IssuedCertificate gateway =
        ca.issueClient(keys.get(gatewayKey).getPublic(), "ipgw@" + domain, Optional.empty());
    List<IssuedCertificate> apps = new ArrayList<>();
    List<Integer> appKeys = new ArrayList<>();
    for (int a = 0; a < appsPerGateway; a++) {
      int key = (index + a + 1) % keys.size();
      apps.add(
          ca.issueClient(
              keys.get(key).getPublic(),
              owner + "@" + AccessDataSet.PORTAL_DOMAIN,
              Optional.of(UUID.randomUUID())));
      appKeys.add(key);
    }
    return new Owner(owner, domain, gatewayKey, gateway, apps, appKeys);
  }

  private static void writeStore(String url, List<Owner> owners, Clock clock) throws Exception {
    int threads = url.startsWith("jdbc:postgresql:") ? 4 : 1;
    try (PortalStore store = JdbcStores.open(url)) {
      ExecutorService writers = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (Owner o : owners) {
        done.add(writers.submit(() -> writeOwner(store, o, clock)));
      }
      for (Future<?> f : done) {
        f.get();
      }
      writers.shutdown();
    }
  }

  private static void writeOwner(PortalStore store, Owner o, Clock clock) {
    char[] password = PASSWORD.toCharArray();
    store.createUser(
        new UserRecord(
            o.username(),
            Ha1.compute(DigestAlgorithm.SHA_256, o.username(), PortalConfig.DEFAULT_REALM, password)
                .hex(),
            Ha1.compute(DigestAlgorithm.MD5, o.username(), PortalConfig.DEFAULT_REALM, password)
                .hex(),
            clock.instant()));
    String friendlyName = "Location: Bench " + o.domain().substring(3);
    store.recordGatewayPairing(
        new GatewayRecord(o.domain(), o.username(), friendlyName, clock.instant()),
        record(
            o.gatewayCertificate(),
            CertificateRecord.Kind.GATEWAY,
            o.username(),
            Optional.of(o.domain()),
            friendlyName,
            clock.instant()));
    for (int i = 0; i < o.appCertificates().size(); i++) {
      store.recordCertificate(
          record(
              o.appCertificates().get(i),
              CertificateRecord.Kind.APP,
              o.username(),
              Optional.empty(),
              o.username() + "'s phone " + i,
              clock.instant()));
    }
  }

  /** The record pairing writes for an issued certificate (as PairingService builds it). */
  private static CertificateRecord record(
      IssuedCertificate issued,
      CertificateRecord.Kind kind,
      String owner,
      Optional<String> domain,
      String friendlyName,
      Instant now) {
    return new CertificateRecord(
        issued.serial(),
        kind,
        owner,
        issued.commonName(),
        domain,
        issued.instance(),
        friendlyName,
        issued.pem(),
        issued.notBefore(),
        issued.notAfter(),
        now,
        Optional.empty(),
        Optional.empty());
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
