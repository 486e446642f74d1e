package io.doorpair.sipedge;

import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.sipedge.admission.NodeCertificates;
import io.doorpair.sipedge.proxy.NodeRoutes;
import io.doorpair.sipedge.proxy.Targets;
import io.doorpair.sipedge.redis.RedisBindings;
import io.doorpair.sipedge.redis.RedisConnection;
import io.doorpair.sipedge.redis.RedisCrlChannel;
import io.doorpair.sipedge.redis.RedisNodeHeartbeat;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.registrar.InMemoryBindings;
import io.doorpair.sipedge.registrar.NodeDirectory;
import io.doorpair.sipedge.registrar.NodeLiveness;
import io.doorpair.sipedge.registrar.Registrar;
import io.doorpair.sipedge.revocation.RevocationList;
import io.doorpair.sipedge.revocation.RevokingTrustManager;
import io.doorpair.sipedge.stack.EdgeStack;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Builds and starts the portal SIP server (one place where its objects are wired). */
public final class SipEdge {
  /** Closed flows waiting for their bindings to be removed from a shared store. */
  private static final int CLEANUP_QUEUE = 100_000;

  private SipEdge() {}

  /** Starts with in-memory bindings and the system clock. */
  public static RunningSipEdge start(SipEdgeConfig config) throws IOException {
    return start(config, new InMemoryBindings(), Clock.systemUTC());
  }

  /**
   * Starts with bindings shared in Redis, written as node {@code node}, and follows the CRL that
   * the portal shares there ({@link RedisCrlChannel}); the returned edge stops following and closes
   * the Redis pool when it closes.
   *
   * @throws IOException when Redis does not answer ({@code --redis URL: Redis does not answer}),
   *     the port cannot be bound or the stack does not start
   */
  public static RunningSipEdge start(SipEdgeConfig config, RedisSettings redis, String node)
      throws IOException {
    Objects.requireNonNull(redis, "redis");
    RedisConnection connection = RedisConnection.open(redis);
    try {
      connection.ping();
      Clock clock = Clock.systemUTC();
      RedisNodeHeartbeat heartbeat = new RedisNodeHeartbeat(connection, node);
      RunningSipEdge edge =
          start(config, new RedisBindings(connection, node, clock), clock, heartbeat);
      try {
        X509Certificate own = config.serverChain().get(0);
        heartbeat.start(
            edge.announcedAddress(),
            NodeCertificates.isNode(own)
                ? Optional.of(NodeCertificates.fingerprint(own))
                : Optional.empty());
      } catch (RuntimeException e) {
        edge.close();
        throw e;
      }
      RedisCrlChannel crls = new RedisCrlChannel(connection);
      edge.shareCrlsOn(crls::publish);
      edge.shareNodesOn(heartbeat);
      edge.alsoClose(crls.follow(edge::updateCrl));
      edge.alsoClose(heartbeat);
      edge.alsoClose(connection);
      return edge;
    } catch (IllegalStateException e) {
      connection.close();
      throw new IOException(e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * Starts the server.
   *
   * @param config what to listen on, the SIP domain, and which certificates
   * @param bindings where registrations are kept (the caller closes a shared store after the edge)
   * @param clock the time source for binding expiry
   * @return the running server
   * @throws IOException when the port cannot be bound or the stack does not start
   */
  public static RunningSipEdge start(SipEdgeConfig config, Bindings bindings, Clock clock)
      throws IOException {
    return start(config, bindings, clock, NodeLiveness.ASSUME_RUNNING);
  }

  /**
   * Starts the server on bindings shared between nodes.
   *
   * @param config what to listen on, the SIP domain, and which certificates
   * @param bindings where registrations are kept (the caller closes a shared store after the edge)
   * @param clock the time source for binding expiry
   * @param nodes which nodes run: bindings of a node that does not are removed when a request meets
   *     them
   * @return the running server
   * @throws IOException when the port cannot be bound or the stack does not start
   */
  public static RunningSipEdge start(
      SipEdgeConfig config, Bindings bindings, Clock clock, NodeLiveness nodes) throws IOException {
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(bindings, "bindings");
    Objects.requireNonNull(clock, "clock");
    ThreadPoolExecutor cleanup = null;
    if (bindings.remote()) {
      // a closed flow is reported on the stack's I/O thread: never wait there for Redis
      cleanup =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(CLEANUP_QUEUE),
              r -> {
                Thread t = new Thread(r, "sip-binding-cleanup");
                t.setDaemon(true);
                return t;
              });
    }
    Registrar registrar =
        cleanup == null
            ? new Registrar(bindings, config.registration(), clock)
            : new Registrar(bindings, config.registration(), clock, cleanup);
    RevocationList revocations = new RevocationList(config.caCertificates());
    config.crl().ifPresent(revocations::update);
    // routing between nodes: on shared bindings, for a node whose certificate is a node
    // certificate (it dials the others with it, and they admit it by it)
    Optional<NodeDirectory> directory =
        nodes instanceof NodeDirectory && NodeCertificates.isNode(config.serverChain().get(0))
            ? Optional.of((NodeDirectory) nodes)
            : Optional.empty();
    AtomicReference<NodeRoutes> routes = new AtomicReference<>(NodeRoutes.NONE);
    EdgeStack stack;
    try {
      stack =
          EdgeStack.start(
              config.stack(),
              TlsMaterial.keyManager(config.serverKey(), config.serverChain()),
              new RevokingTrustManager(
                  TlsMaterial.trustManager(config.caCertificates()), revocations),
              config.listen(),
              config.advertise(),
              registrar,
              revocations,
              new Targets(
                  config.domain(), bindings, clock, nodes, node -> routes.get().linkTo(node)),
              config.timerC(),
              directory);
      routes.set(stack.nodeRoutes());
    } catch (IOException | RuntimeException e) {
      if (cleanup != null) {
        cleanup.shutdownNow();
      }
      throw e;
    }
    return new RunningSipEdge(stack, bindings, revocations, Optional.ofNullable(cleanup));
  }
}
