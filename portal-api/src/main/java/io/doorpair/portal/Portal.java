package io.doorpair.portal;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CaKeyring;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.digest.Ha1;
import io.doorpair.portal.access.AccessService;
import io.doorpair.portal.access.GatewayChannel;
import io.doorpair.portal.access.RequestVoider;
import io.doorpair.portal.auth.ClientCertificates;
import io.doorpair.portal.auth.DigestAuthenticator;
import io.doorpair.portal.auth.DigestSettings;
import io.doorpair.portal.crl.CrlRefresher;
import io.doorpair.portal.crl.CrlService;
import io.doorpair.portal.devices.DeviceService;
import io.doorpair.portal.events.EventService;
import io.doorpair.portal.files.SecretFiles;
import io.doorpair.portal.guests.GuestService;
import io.doorpair.portal.http.ApiServer;
import io.doorpair.portal.notify.LongPolls;
import io.doorpair.portal.notify.Notifier;
import io.doorpair.portal.notify.Notifiers;
import io.doorpair.portal.ops.PortalMetrics;
import io.doorpair.portal.pairing.PairingService;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.UserRecord;
import io.doorpair.portal.store.jdbc.JdbcStores;
import io.doorpair.portal.tls.ClientTrust;
import io.doorpair.portal.tls.ServerIdentity;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.ops.HealthChecks;
import io.doorpair.sipedge.ops.ManagementServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the portal's object graph from a {@link PortalConfig} and starts it. */
public final class Portal {
  private static final Logger LOG = LoggerFactory.getLogger(Portal.class);

  /** Most long-polls open at once in one process. */
  static final int MAX_LONG_POLLS = 10_000;

  /** Most long-polls open at once for one certificate. */
  static final int MAX_LONG_POLLS_PER_CERTIFICATE = 8;

  /** How long one health check may take before it counts as down. */
  static final Duration HEALTH_DEADLINE = Duration.ofSeconds(5);

  private Portal() {}

  /** Starts the portal; closing the result stops it in reverse order. */
  public static RunningPortal start(PortalConfig config) {
    return start(config, Clock.systemUTC(), new SecureRandom());
  }

  /** Starts the portal with an injected clock and randomness. */
  public static RunningPortal start(PortalConfig config, Clock clock, SecureRandom random) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder " + config.dataDir(), e);
    }
    CaKeyring keyring = CaKeyFiles.loadKeyring(config.dataDir(), config.ca(), clock, random);
    CertificateAuthority ca = keyring.current();
    if (keyring.previous().isEmpty()) {
      try {
        Files.deleteIfExists(config.dataDir().resolve("crl-previous.pem")); // of a retired CA
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the retired CA's crl-previous.pem", e);
      }
    }
    PortalStore store = JdbcStores.open(config.databaseUrl());
    Notifier notifier = null;
    LongPolls longPolls = null;
    RunningSipEdge sip = null;
    CrlRefresher refresher = null;
    HealthChecks health = null;
    ManagementServer management = null;
    try {
      PortalMetrics metrics = new PortalMetrics();
      notifier = Notifiers.forStore(config.databaseUrl(), random, config.redis());
      longPolls = new LongPolls(notifier, MAX_LONG_POLLS, MAX_LONG_POLLS_PER_CERTIFICATE);
      RequestVoider voider = new RequestVoider(store, notifier, clock);
      ServerIdentity identity =
          config.tlsCertificate().isPresent()
              ? ServerIdentity.load(config.tlsCertificate().get(), config.tlsKey().orElseThrow())
              : ServerIdentity.generated(config.dataDir(), ca, config.hostnames(), clock)
                  .withIntermediate(keyring.crossCertificate());
      CrlService crl = new CrlService(keyring, store, clock, config.dataDir().resolve("crl.pem"));

      AtomicReference<X509CRL> latestCrl = new AtomicReference<>(crl.currentCrl());
      crl.onPublish(
          published -> {
            latestCrl.set(published);
            metrics.crlPublished();
          });
      sip = startSip(config, keyring, identity, crl);
      observe(sip, metrics, clock);
      health = new HealthChecks(healthChecks(store, ca, latestCrl::get, clock), HEALTH_DEADLINE);
      HealthChecks checks = health;
      refresher = CrlRefresher.start(crl, CrlRefresher.PERIOD);
      DigestAuthenticator digest =
          new DigestAuthenticator(
              DigestSettings.defaults().withRealm(config.realm()),
              (username, algorithm) -> store.findUser(username).map(user -> ha1Of(user, algorithm)),
              clock,
              random);
      String caPem = Pem.certificate(ca.certificate());
      ApiServer api =
          ApiServer.start(
              config.api(),
              new ApiServer.Parts(
                  identity,
                  new ClientTrust(keyring.trustAnchors(), store::isRevoked),
                  digest,
                  new ClientCertificates(store, clock),
                  new PairingService(ca, store, config.domain(), clock, random, metrics),
                  new DeviceService(
                      store,
                      crl,
                      clock,
                      serials -> {
                        metrics.revoked();
                        voider.certificatesRevoked(serials);
                      }),
                  crl,
                  caPem,
                  new AccessService(store, notifier, voider, config.domain(), clock, metrics),
                  new GatewayChannel(store, config.domain()),
                  new GuestService(store, voider, clock),
                  new EventService(store, notifier, clock),
                  longPolls,
                  metrics,
                  checks::check));
      if (config.management().isPresent()) {
        management =
            ManagementServer.start(config.management().get(), metrics::scrape, checks::check);
      }
      RunningPortal running =
          new RunningPortal(
              config,
              api,
              sip,
              refresher,
              store,
              ca.certificate(),
              notifier,
              longPolls,
              new RunningPortal.Operations(metrics, health, Optional.ofNullable(management)));
      writeReadyFile(config, running);
      LOG.info(
          "portal ready api=https://{}:{} sip={} domain={} data={}",
          config.api().getHostString(),
          api.port(),
          running.sipAddress(),
          config.domain(),
          config.dataDir().toAbsolutePath());
      return running;
    } catch (RuntimeException e) {
      if (management != null) {
        management.close();
      }
      if (health != null) {
        health.close();
      }
      if (refresher != null) {
        refresher.close();
      }
      if (sip != null) {
        sip.close();
      }
      if (longPolls != null) {
        longPolls.close();
      }
      if (notifier != null) {
        notifier.close();
      }
      store.close();
      throw e;
    }
  }

  /**
   * Starts the SIP over TLS server on {@code --sip}: the portal CA (both CAs during a rotation's
   * overlap) as its trust anchors, the HTTPS server identity as its own, the current CRLs, and
   * every CRL published later.
   */
  private static RunningSipEdge startSip(
      PortalConfig config, CaKeyring keyring, ServerIdentity identity, CrlService crl) {
    SipEdgeConfig sipConfig =
        SipEdgeConfig.of(
                InetSocketAddress.createUnresolved(
                    config.sip().getHostString(), config.sip().getPort()),
                config.domain(),
                keyring.trustAnchors(),
                identity.key(),
                identity.chain())
            .withCrl(crl.currentCrl());
    RunningSipEdge sip;
    try {
      sip =
          config.redis().isPresent()
              ? SipEdge.start(sipConfig, config.redis().get(), sipNodeName())
              : SipEdge.start(sipConfig);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the SIP server on " + config.sip(), e);
    }
    // with --redis, publishCrl also shares the CRL with every SIP node on that Redis at once
    crl.onPublish(sip::publishCrl);
    // one published between start and onPublish is not missed
    crl.currentCrls().forEach(sip::publishCrl);
    return sip;
  }

  /**
   * Puts the SIP server's meters (the same as a separate SIP node's) on the portal's registry: one
   * scrape, one {@code /metrics}.
   */
  private static void observe(RunningSipEdge sip, PortalMetrics metrics, Clock clock) {
    metrics.observe(sip, clock);
  }

  /**
   * What {@code /health} checks: the store answers a query, the CA certificate is in its validity
   * period, and the last CRL published is not past its nextUpdate (the refresher signs a new one
   * well before; it cannot while the store is down).
   */
  private static Map<String, HealthChecks.Check> healthChecks(
      PortalStore store, CertificateAuthority ca, Supplier<X509CRL> latestCrl, Clock clock) {
    Map<String, HealthChecks.Check> checks = new LinkedHashMap<>();
    // serial 0 is never issued (serials are positive, of 64 random bits at least): one indexed read
    checks.put("store", () -> store.isRevoked(BigInteger.ZERO));
    checks.put("ca", () -> ca.certificate().checkValidity(Date.from(clock.instant())));
    checks.put(
        "crl",
        () -> {
          X509CRL current = latestCrl.get();
          if (current.getNextUpdate() != null
              && current.getNextUpdate().toInstant().isBefore(clock.instant())) {
            throw new IllegalStateException("the CRL is past its nextUpdate");
          }
        });
    return checks;
  }

  /**
   * This process's SIP node name on a shared Redis: {@code portal.<host>.<pid>}, unique among the
   * running processes (a restarted process has a new name; its old bindings lapse).
   */
  private static String sipNodeName() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    String name =
        "portal." + host.replaceAll("[^A-Za-z0-9.-]", "-") + "." + ProcessHandle.current().pid();
    return name.length() > 64 ? name.substring(name.length() - 64) : name;
  }

  private static Ha1 ha1Of(UserRecord user, io.doorpair.crypto.digest.DigestAlgorithm algorithm) {
    return switch (algorithm) {
      case SHA_256 -> Ha1.ofHex(algorithm, user.ha1Sha256());
      case MD5 -> Ha1.ofHex(algorithm, user.ha1Md5());
    };
  }

  private static void writeReadyFile(PortalConfig config, RunningPortal running) {
    String json =
        "{\"pid\":"
            + ProcessHandle.current().pid()
            + ",\"api\":\""
            + running.apiUrl()
            + "\",\"sip\":\""
            + running.sipHostPort()
            + "\",\"domain\":\""
            + config.domain()
            + "\""
            + running.managementHostPort().map(m -> ",\"management\":\"" + m + "\"").orElse("")
            + "}\n";
    try {
      SecretFiles.writePublic(config.dataDir().resolve("ready.json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ready.json", e);
    }
  }
}
