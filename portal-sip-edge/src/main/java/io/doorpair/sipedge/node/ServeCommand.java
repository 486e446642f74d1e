package io.doorpair.sipedge.node;

import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.admission.NodeCertificates;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portal-sip serve}: runs a SIP node until SIGTERM or SIGINT. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run a SIP node: needs the CA certificate(s), its own certificate and key, a CRL per CA.")
final class ServeCommand implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");

  @Option(
      names = "--sip",
      defaultValue = "${env:PORTAL_SIP:-" + SipEdgeConfig.DEFAULT_LISTEN + "}",
      description =
          "SIP over TLS address host:port (port 0: any free port; a wildcard address such as"
              + " 0.0.0.0 needs --advertise); env PORTAL_SIP")
  String sip;

  @Option(
      names = "--advertise",
      paramLabel = "IP:PORT",
      defaultValue = "${env:PORTAL_SIP_ADVERTISE}",
      description =
          "the address the devices and the other nodes reach this node at, when it is not the"
              + " --sip address (a wildcard --sip, NAT): carried by the Record-Route, the Path and"
              + " the heartbeat; an IP address, port 1-65535; default: the --sip address; env"
              + " PORTAL_SIP_ADVERTISE")
  String advertise;

  @Option(
      names = "--domain",
      defaultValue = "${env:PORTAL_DOMAIN:-portal.localhost}",
      description = "portal SIP domain of app CNs (user@domain); env PORTAL_DOMAIN")
  String domain;

  @Option(
      names = "--ca",
      required = true,
      description =
          "the portal CA certificate (PEM); during a CA rotation's overlap a file holding both"
              + " CA certificates, the new and the previous one (each needs its --crl)")
  Path ca;

  @Option(
      names = "--cert",
      required = true,
      description = "this node's certificate (PEM, issued by a CA in --ca), then any intermediates")
  Path cert;

  @Option(
      names = "--key",
      required = true,
      description = "this node's private key (PEM, unencrypted RSA, mode 0600)")
  Path key;

  @Option(
      names = "--crl",
      required = true,
      paramLabel = "FILE",
      description =
          "the CA's CRL (PEM or DER); once per CA in --ca (during a CA rotation: the portal's"
              + " crl.pem and crl-previous.pem); each file followed: a replaced file is loaded"
              + " within 1 s")
  List<Path> crls;

  @Option(
      names = "--ready",
      description = "write {\"pid\":..,\"sip\":\"host:port\"} here once listening")
  Path ready;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description = "most TLS connections open at once (default 10000)")
  Integer maxConnections;

  @Option(
      names = "--max-connections-per-certificate",
      paramLabel = "N",
      description = "most connections open at once with one client certificate (default 8)")
  Integer maxPerCertificate;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      description = "close a connection silent this long (default 600)")
  Integer idleSeconds;

  @Option(
      names = "--keep-alive-timeout",
      paramLabel = "SECONDS",
      description =
          "close a flow that sent an RFC 5626 keep-alive and then none for this long; 0 off"
              + " (default 0)")
  Integer keepAliveSeconds;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      defaultValue = "${env:PORTAL_REDIS}",
      description =
          "share bindings with other nodes in this Redis (redis://host:port); default: in memory,"
              + " this node only; env PORTAL_REDIS")
  String redis;

  @Option(
      names = "--redis-prefix",
      paramLabel = "PREFIX",
      defaultValue = RedisSettings.DEFAULT_PREFIX,
      description = "start of every Redis key; the same on every node (default ${DEFAULT-VALUE})")
  String redisPrefix;

  @Option(
      names = "--node",
      paramLabel = "NAME",
      description =
          "this node's name among the nodes on one Redis, [A-Za-z0-9._:-]{1,64} (default: the CN"
              + " of --cert)")
  String node;

  @Option(
      names = "--management",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:PORTAL_SIP_MANAGEMENT}",
      description =
          "plain-HTTP listener for GET /metrics (Prometheus) and GET /health, no authentication:"
              + " loopback or a management network only (e.g. 127.0.0.1:9466); off by default;"
              + " env PORTAL_SIP_MANAGEMENT")
  String management;

  @Override
  public void run() {
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("--domain must be a lowercase DNS name, got: " + domain);
    }
    InetSocketAddress listen = SipEdgeConfig.parseListen(sip);
    Optional<InetSocketAddress> advertised =
        advertise == null || advertise.isBlank()
            ? Optional.empty()
            : Optional.of(SipEdgeConfig.parseAdvertise(advertise.strip()));
    if (advertised.isEmpty() && SipEdgeConfig.isWildcard(listen)) {
      throw new IllegalArgumentException(
          "--sip "
              + sip
              + " is a wildcard address, which the Record-Route, the Path and the heartbeat cannot"
              + " carry: give --advertise IP:PORT (env PORTAL_SIP_ADVERTISE), the address the"
              + " devices and the other nodes reach this node at");
    }
    Optional<InetSocketAddress> managementAddress =
        management == null || management.isBlank()
            ? Optional.empty()
            : Optional.of(NodeOperations.parse(management));
    NodeFiles.Material material = NodeFiles.load(ca, cert, key, crls, Instant.now());
    for (int i = 0; i < crls.size(); i++) {
      X509CRL crl = material.crls().get(i);
      if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(Instant.now())) {
        LOG.warn(
            "the CRL in {} is past its nextUpdate {}: is the portal still writing it?",
            crls.get(i),
            crl.getNextUpdate().toInstant());
      }
    }
    SipEdgeConfig config =
        new SipEdgeConfig(
            listen,
            domain,
            material.caCertificates(),
            material.key(),
            material.chain(),
            RegistrationPolicy.DEFAULT,
            settings(),
            Optional.of(material.crl()),
            SipEdgeConfig.DEFAULT_TIMER_C,
            advertised);
    RunningSipEdge edge;
    try {
      edge =
          redis == null || redis.isBlank()
              ? SipEdge.start(config)
              : SipEdge.start(
                  config, RedisSettings.of(redis).withKeyPrefix(redisPrefix), nodeName(material));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          (redis == null || redis.isBlank() ? "--sip " + sip + ": " : "") + e.getMessage(), e);
    }
    // the other CA's CRL (a rotation's overlap): any connection a certificate it lists opened
    // since the start is closed before this returns, and before the ready file is written
    try {
      material.crls().stream().skip(1).forEach(edge::updateCrl);
    } catch (RuntimeException e) {
      edge.close();
      throw e;
    }
    Optional<NodeOperations> operations;
    try {
      operations = managementAddress.map(address -> NodeOperations.start(edge, address, crls));
    } catch (RuntimeException e) {
      edge.close();
      throw e;
    }
    List<CrlFileWatcher> watchers = new ArrayList<>();
    try {
      for (Path crl : crls) {
        watchers.add(CrlFileWatcher.start(crl, ca, material.caCertificates(), edge::updateCrl));
      }
      if (ready != null) {
        ReadyFile.write(
            ready,
            ReadyFile.json(
                ProcessHandle.current().pid(),
                hostPort(edge),
                operations.map(NodeOperations::hostPort)));
      }
    } catch (IOException | RuntimeException e) {
      watchers.forEach(CrlFileWatcher::close);
      operations.ifPresent(NodeOperations::close);
      edge.close();
      throw new IllegalArgumentException("--ready " + ready + ": cannot write (" + e + ")", e);
    }
    LOG.info(
        "portal-sip ready: sip={}{} management={} domain={} cert={} cas={} crl={} bindings={}",
        hostPort(edge),
        advertised.isPresent() ? " advertised=" + hostPort(edge.announcedAddress()) : "",
        operations.map(NodeOperations::hostPort).orElse("off"),
        domain,
        material.chain().get(0).getSubjectX500Principal(),
        material.caCertificates().size(),
        crls.stream().map(Path::toString).collect(Collectors.joining(",")),
        redis == null || redis.isBlank()
            ? "in memory"
            : "redis "
                + RedisSettings.of(redis).redactedUrl()
                + " as node "
                + edge.bindings().node());
    if (redis != null && !redis.isBlank()) {
      if (!NodeCertificates.isNode(material.chain().get(0))) {
        LOG.warn(
            "--cert is not a node certificate (serverAuth and clientAuth, portal sip-node-cert):"
                + " no routing to or from the other SIP nodes");
      }
    }
    awaitShutdown(edge, watchers, operations);
  }

  private String nodeName(NodeFiles.Material material) {
    if (node != null) {
      return node;
    }
    String subject = material.chain().get(0).getSubjectX500Principal().getName();
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          String cn = rdn.getValue().toString();
          if (NODE_NAME.matcher(cn).matches()) {
            return cn;
          }
        }
      }
    } catch (InvalidNameException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "--node NAME is needed: the CN of --cert is not a node name ([A-Za-z0-9._:-]{1,64})");
  }

  private StackSettings settings() {
    StackSettings d = StackSettings.DEFAULT;
    StackSettings s =
        d.withConnectionCaps(
            maxConnections == null ? d.maxConnections() : maxConnections,
            maxPerCertificate == null ? d.maxConnectionsPerCertificate() : maxPerCertificate);
    if (idleSeconds != null) {
      s = s.withIdleMillis(idleSeconds * 1000L);
    }
    if (keepAliveSeconds != null) {
      s = s.withKeepAliveTimeoutSeconds(keepAliveSeconds);
    }
    return s;
  }

  private void awaitShutdown(
      RunningSipEdge edge, List<CrlFileWatcher> watchers, Optional<NodeOperations> operations) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    watchers.forEach(CrlFileWatcher::close);
                    operations.ifPresent(NodeOperations::close);
                    edge.close();
                    if (ready != null) {
                      Files.deleteIfExists(ready);
                    }
                  } catch (IOException | RuntimeException e) {
                    LOG.warn("while stopping: {}", e.toString());
                  } finally {
                    LOG.info("portal-sip stopped");
                    stopped.countDown();
                  }
                },
                "portal-sip-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String hostPort(RunningSipEdge edge) {
    return hostPort(edge.sipAddress());
  }

  private static String hostPort(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return host + ":" + address.getPort();
  }
}
