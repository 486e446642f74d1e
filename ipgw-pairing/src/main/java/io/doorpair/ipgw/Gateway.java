package io.doorpair.ipgw;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.ipgw.accounts.B2bSignal;
import io.doorpair.ipgw.admin.AdminPassword;
import io.doorpair.ipgw.admin.AdminSite;
import io.doorpair.ipgw.files.AtomicFiles;
import io.doorpair.ipgw.supervisor.B2bService;
import io.doorpair.ipgw.supervisor.B2bSupervision;
import io.doorpair.welcome.http.PortalClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the gateway agent from a {@link GatewayConfig} and starts it. */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /** The ready file's name in the data folder. */
  public static final String READY_FILE = "ready.json";

  private Gateway() {}

  /**
   * Starts the core (store, files, portal threads), then the admin site, then writes {@code
   * ready.json} ({@code {"pid":N,"admin":"http://HOST:PORT"}}, atomically).
   *
   * @param config the configuration
   * @return the running gateway
   * @throws IllegalStateException when no admin password was set
   */
  public static RunningGateway start(GatewayConfig config) {
    return start(config, B2bSupervision.none());
  }

  /**
   * Starts the core, then the b2b as {@code supervision} says (after the core rewrote the files it
   * reads), then the admin site with its kill switch, then writes {@code ready.json}.
   *
   * @param config the configuration
   * @param supervision how the b2b runs (none, a supervised child, a systemd unit)
   * @return the running gateway
   * @throws IllegalStateException when no admin password was set
   */
  public static RunningGateway start(GatewayConfig config, B2bSupervision supervision) {
    SecureRandom random = new SecureRandom();
    Path ready = config.dataDir().resolve(READY_FILE);
    try {
      Files.createDirectories(config.dataDir());
      Files.deleteIfExists(ready);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the data folder " + config.dataDir(), e);
    }
    AdminPassword password = AdminPassword.load(config.dataDir());
    AtomicReference<B2bService> b2bRef = new AtomicReference<>(B2bService.NONE);
    GatewayCore core =
        GatewayCore.start(
            new GatewayCore.Settings(
                config.root(),
                config.dataDir(),
                portalClient(config),
                config.pairing(),
                new B2bSignal() {
                  @Override
                  public void reload() {
                    b2bRef.get().reload();
                  }

                  @Override
                  public void restart() {
                    b2bRef.get().restart();
                  }
                },
                config.channelWait(),
                config.initialBackoff(),
                config.maxBackoff()));
    AdminSite site = null;
    B2bService b2b = B2bService.NONE;
    try {
      b2b = supervision.open(config.root(), config.dataDir());
      b2bRef.set(b2b);
      site =
          AdminSite.start(
              config.admin(),
              config.adminHosts(),
              config.adminTls().map(Gateway::adminTls),
              password,
              core,
              b2b,
              random,
              Clock.systemUTC());
      String json =
          "{\"pid\":" + ProcessHandle.current().pid() + ",\"admin\":\"" + site.url() + "\"}\n";
      AtomicFiles.write(ready, json, AtomicFiles.PUBLIC);
    } catch (IOException | RuntimeException e) {
      if (site != null) {
        site.close();
      }
      b2b.close();
      core.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot write " + ready, io);
      }
      throw (RuntimeException) e;
    }
    LOG.info(
        "ipgw ready: admin {} portal {} root {} data {}",
        site.url(),
        config.portalUrl(),
        config.root(),
        config.dataDir().toAbsolutePath());
    return new RunningGateway(core, site, b2b, ready);
  }

  private static SSLContext adminTls(GatewayConfig.AdminTls files) {
    List<X509Certificate> chain;
    PrivateKey key;
    try {
      chain = Pem.parseCertificates(Files.readString(files.certificate()));
      key = Pem.parsePrivateKey(Files.readString(files.key()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the admin TLS certificate or key", e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "--admin-tls-cert " + files.certificate() + " holds no certificate");
    }
    return TlsMaterial.context(
        Optional.of(TlsMaterial.keyManager(key, chain)),
        TlsMaterial.trustManager(List.of(chain.get(chain.size() - 1))));
  }

  private static PortalClient portalClient(GatewayConfig config) {
    PortalClient.Builder builder = PortalClient.builder(config.portalUrl());
    if (config.portalCa().isPresent()) {
      Path file = config.portalCa().get();
      List<X509Certificate> anchors;
      try {
        anchors = Pem.parseCertificates(Files.readString(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read --portal-ca " + file, e);
      }
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("--portal-ca " + file + " holds no certificate");
      }
      builder.trustAnchors(anchors);
    }
    return builder.build();
  }
}
