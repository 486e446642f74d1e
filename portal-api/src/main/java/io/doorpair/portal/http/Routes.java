package io.doorpair.portal.http;

import io.doorpair.portal.crl.CrlService;
import io.doorpair.portal.devices.DeviceService;
import io.doorpair.portal.pairing.PairingService;
import io.doorpair.sipedge.ops.HealthChecks;
import io.doorpair.welcome.api.PairRequest;
import io.doorpair.welcome.api.RenewRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Every endpoint of the portal API, declared in one method; the OpenAPI test reads the list. */
public final class Routes {
  /** One declared route. */
  public record Route(String method, String path) {}

  private static final String PEM = "application/x-pem-file";

  private final Authentication auth;
  private final PairingService pairing;
  private final DeviceService devices;
  private final CrlService crl;
  private final String caPem;
  private final AppHandlers apps;
  private final GuestHandlers guests;
  private final GatewayHandlers gateways;
  private final Supplier<HealthChecks.Report> health;
  private final List<Route> declared = new ArrayList<>();

  Routes(
      Authentication auth,
      PairingService pairing,
      DeviceService devices,
      CrlService crl,
      String caPem,
      AppHandlers apps,
      GuestHandlers guests,
      GatewayHandlers gateways,
      Supplier<HealthChecks.Report> health) {
    this.health = health;
    this.auth = auth;
    this.pairing = pairing;
    this.devices = devices;
    this.crl = crl;
    this.caPem = caPem;
    this.apps = apps;
    this.guests = guests;
    this.gateways = gateways;
  }

  /** Registers every route on {@code app}. */
  void register(Javalin app) {
    add(app, HandlerType.POST, "/api/pair", this::pair);
    add(app, HandlerType.POST, "/api/renew", this::renew);
    add(app, HandlerType.GET, "/api/ca.pem", ctx -> ctx.contentType(PEM).result(caPem));
    add(app, HandlerType.GET, "/api/crl.pem", ctx -> ctx.contentType(PEM).result(crl.currentPem()));
    add(
        app,
        HandlerType.GET,
        "/api/devices",
        ctx -> ctx.json(devices.list(auth.ownerByAppOrDigest(ctx))));
    add(app, HandlerType.POST, "/api/devices/{serial}/revoke", this::revoke);

    // Welcome apps (app certificate): docs/access-flow.md
    add(app, HandlerType.GET, "/api/joinable_gateways", apps::joinableGateways);
    add(app, HandlerType.GET, "/api/create_sip_account/{domain}", apps::createSipAccount);
    add(app, HandlerType.GET, "/api/get_approved_account/{domain}", apps::getApprovedAccount);
    add(app, HandlerType.GET, "/api/events", apps::events);

    // Owners (app certificate of the gateway's owner)
    add(app, HandlerType.GET, "/api/gateways/{domain}/guests", guests::list);
    add(app, HandlerType.PUT, "/api/gateways/{domain}/guests/{user}", guests::invite);
    add(app, HandlerType.DELETE, "/api/gateways/{domain}/guests/{user}", guests::remove);

    // Gateways (gateway certificate)
    add(app, HandlerType.GET, "/api/gateway/channel", gateways::channel);
    add(app, HandlerType.POST, "/api/gateway/requests/{id}/approve", gateways::approve);
    add(app, HandlerType.POST, "/api/gateway/requests/{id}/deny", gateways::deny);
    add(app, HandlerType.POST, "/api/gateway/requests/{id}/void", gateways::voidRequest);
    add(app, HandlerType.POST, "/api/gateway/events", gateways::postEvents);

    add(app, HandlerType.GET, "/api/openapi.json", OpenApi::serve);
    add(app, HandlerType.GET, "/api/health", this::health);
  }

  /** The routes {@link #register} declared, in order. */
  public List<Route> declared() {
    return List.copyOf(declared);
  }

  private void add(Javalin app, HandlerType method, String path, Handler handler) {
    declared.add(new Route(method.name(), path));
    app.addHttpHandler(method, path, handler);
  }

  private void pair(Context ctx) {
    RequestLimits.requireJson(ctx);
    String user = auth.digestUser(ctx);
    PairRequest request =
        Json.read(RequestLimits.jsonBody(ctx, RequestLimits.MAX_BODY_BYTES), PairRequest.class);
    ctx.status(201).json(pairing.pair(user, request));
  }

  private void renew(Context ctx) {
    RequestLimits.requireJson(ctx);
    var principal = auth.requireCertificate(ctx);
    RenewRequest request =
        Json.read(RequestLimits.jsonBody(ctx, RequestLimits.MAX_BODY_BYTES), RenewRequest.class);
    ctx.status(201).json(pairing.renew(principal, request));
  }

  /** {@code GET /api/health}: 200 when every check passes, 503 otherwise (no authentication). */
  private void health(Context ctx) {
    HealthChecks.Report report = health.get();
    ctx.status(report.httpStatus()).contentType("application/json").result(report.json());
  }

  private void revoke(Context ctx) {
    String owner = auth.ownerByAppOrDigest(ctx);
    devices.revoke(owner, ctx.pathParam("serial"));
    ctx.json(new Revoked(true));
  }

  record Revoked(boolean revoked) {}
}
