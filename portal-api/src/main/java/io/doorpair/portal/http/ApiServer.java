package io.doorpair.portal.http;

import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.portal.access.AccessService;
import io.doorpair.portal.access.GatewayChannel;
import io.doorpair.portal.auth.ClientCertificates;
import io.doorpair.portal.auth.DigestAuthenticator;
import io.doorpair.portal.crl.CrlService;
import io.doorpair.portal.devices.DeviceService;
import io.doorpair.portal.events.EventService;
import io.doorpair.portal.guests.GuestService;
import io.doorpair.portal.notify.LongPolls;
import io.doorpair.portal.ops.PortalMetrics;
import io.doorpair.portal.pairing.PairingService;
import io.doorpair.portal.tls.ServerIdentity;
import io.doorpair.sipedge.metrics.HandshakeFailure;
import io.doorpair.sipedge.ops.HealthChecks;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS API server: one TLS port that asks for (but does not demand) a client certificate, TLS
 * 1.2 and 1.3 only, and the routes of {@link Routes}.
 */
public final class ApiServer implements AutoCloseable {
  /** Idle connections (and stalled handshakes) are closed after this many milliseconds. */
  static final long IDLE_TIMEOUT_MS = 30_000;

  private final Javalin app;
  private final Routes routes;

  /** The parts the server needs. */
  public record Parts(
      ServerIdentity identity,
      X509TrustManager clientTrust,
      DigestAuthenticator digest,
      ClientCertificates certificates,
      PairingService pairing,
      DeviceService devices,
      CrlService crl,
      String caPem,
      AccessService access,
      GatewayChannel channel,
      GuestService guests,
      EventService events,
      LongPolls longPolls,
      PortalMetrics metrics,
      Supplier<HealthChecks.Report> health) {}

  private ApiServer(Javalin app, Routes routes) {
    this.app = app;
    this.routes = routes;
  }

  /** Starts the server on {@code address} (port 0 for a free one). */
  public static ApiServer start(InetSocketAddress address, Parts parts) {
    SSLContext tls =
        TlsMaterial.context(
            Optional.of(TlsMaterial.keyManager(parts.identity().key(), parts.identity().chain())),
            parts.clientTrust());
    Authentication auth = new Authentication(parts.digest(), parts.certificates());
    LongPollAnswers answers = new LongPollAnswers(parts.longPolls(), auth);
    Routes routes =
        new Routes(
            auth,
            parts.pairing(),
            parts.devices(),
            parts.crl(),
            parts.caPem(),
            new AppHandlers(auth, parts.access(), parts.events(), answers),
            new GuestHandlers(auth, parts.guests()),
            new GatewayHandlers(auth, parts.access(), parts.channel(), parts.events(), answers),
            parts.health());
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              config.http.maxRequestSize = RequestLimits.MAX_BODY_BYTES;
              config.http.disableCompression();
              config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
              config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
              config.jetty.addConnector(
                  (server, httpConfig) -> {
                    httpConfig.setSendServerVersion(false);
                    httpConfig.setSendXPoweredBy(false);
                    httpConfig.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setSslContext(tls);
                    ssl.setWantClientAuth(true);
                    ssl.setIncludeProtocols(TlsMaterial.protocols());
                    ssl.setRenegotiationAllowed(false);
                    ServerConnector connector =
                        new ServerConnector(
                            server,
                            new SslConnectionFactory(ssl, "http/1.1"),
                            new HttpConnectionFactory(httpConfig));
                    connector.setHost(address.getHostString());
                    connector.setPort(address.getPort());
                    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
                    connector.addBean(handshakeFailures(parts.metrics()));
                    return connector;
                  });
            });
    ProblemMapper.register(app);
    routes.register(app);
    app.start();
    return new ApiServer(app, routes);
  }

  /** Counts the API's failed TLS handshakes by reason. */
  private static SslHandshakeListener handshakeFailures(PortalMetrics metrics) {
    return new SslHandshakeListener() {
      @Override
      public void handshakeFailed(Event event, Throwable failure) {
        metrics.apiHandshakeFailed(HandshakeFailure.classify(failure));
      }
    };
  }

  /** The port the API listens on. */
  public int port() {
    return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
  }

  /** The routes the server declared. */
  public List<Routes.Route> routes() {
    return routes.declared();
  }

  @Override
  public void close() {
    app.stop();
  }
}
