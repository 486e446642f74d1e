package io.doorpair.portal.http;

import io.doorpair.portal.auth.ClientCertificates;
import io.doorpair.portal.auth.DigestAuthenticator;
import io.doorpair.portal.auth.DigestOutcome;
import io.doorpair.portal.auth.Principal;
import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** Who is calling: digest credentials, or a client certificate presented at the handshake. */
final class Authentication {
  private static final String CERT_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

  private final DigestAuthenticator digest;
  private final ClientCertificates certificates;

  Authentication(DigestAuthenticator digest, ClientCertificates certificates) {
    this.digest = digest;
    this.certificates = certificates;
  }

  /** The username proven by HTTP digest, or a 401 challenge / 429 / 400. */
  String digestUser(Context ctx) {
    String uri = ctx.req().getRequestURI();
    if (ctx.queryString() != null) {
      uri = uri + "?" + ctx.queryString();
    }
    DigestOutcome outcome =
        digest.authenticate(
            ctx.method().name(), uri, Optional.ofNullable(ctx.header("Authorization")), ctx.ip());
    if (outcome instanceof DigestOutcome.Authenticated ok) {
      return ok.username();
    }
    if (outcome instanceof DigestOutcome.Challenge challenge) {
      for (String value : challenge.wwwAuthenticateValues()) {
        ctx.res().addHeader("WWW-Authenticate", value);
      }
      throw new ApiException(401, "unauthorized", "digest authentication required");
    }
    if (outcome instanceof DigestOutcome.Throttled throttled) {
      ctx.header("Retry-After", Long.toString(throttled.retryAfterSeconds()));
      throw new ApiException(429, "too_many_attempts", "too many failed attempts; retry later");
    }
    DigestOutcome.BadRequest bad = (DigestOutcome.BadRequest) outcome;
    throw ApiException.badRequest("bad_authorization", bad.message());
  }

  /** The principal of a mutual-TLS request, if it presented a certificate. */
  Optional<Principal> certificatePrincipal(Context ctx) {
    X509Certificate[] chain = (X509Certificate[]) ctx.req().getAttribute(CERT_ATTRIBUTE);
    ClientCertificates.Verdict verdict = certificates.judge(chain);
    if (verdict instanceof ClientCertificates.Verdict.Accepted accepted) {
      return Optional.of(accepted.principal());
    }
    if (verdict instanceof ClientCertificates.Verdict.Refused refused) {
      throw new ApiException(401, "certificate_refused", refused.reason());
    }
    return Optional.empty();
  }

  /** The principal of a request that must present a client certificate. */
  Principal requireCertificate(Context ctx) {
    return certificatePrincipal(ctx)
        .orElseThrow(
            () ->
                new ApiException(
                    401, "certificate_required", "this endpoint needs a client certificate"));
  }

  /** The user behind an app certificate, else behind digest credentials (an owner's own call). */
  String ownerByAppOrDigest(Context ctx) {
    Optional<Principal> principal = certificatePrincipal(ctx);
    if (principal.isPresent()) {
      if (principal.get() instanceof Principal.AppDevice app) {
        return app.username();
      }
      throw ApiException.forbidden(
          "app_only", "this endpoint is for an owner's app, not a gateway");
    }
    return digestUser(ctx);
  }

  /** The app device of a request that must present an app certificate. */
  Principal.AppDevice requireApp(Context ctx) {
    Principal principal = requireCertificate(ctx);
    if (principal instanceof Principal.AppDevice app) {
      return app;
    }
    throw ApiException.forbidden(
        "wrong_certificate_kind",
        "this endpoint is for a Welcome app certificate, not a gateway's");
  }

  /** The gateway of a request that must present a gateway certificate. */
  Principal.Gateway requireGateway(Context ctx) {
    Principal principal = requireCertificate(ctx);
    if (principal instanceof Principal.Gateway gateway) {
      return gateway;
    }
    throw ApiException.forbidden(
        "wrong_certificate_kind", "this endpoint is for a gateway certificate, not an app's");
  }

  /**
   * Throws {@code 401 certificate_refused} if the certificate that authenticated a request was
   * revoked or expired since: a long-poll checks it each time it wakes.
   */
  void requireStillLive(Principal principal) {
    certificates
        .refusal(principal.serial())
        .ifPresent(
            reason -> {
              throw new ApiException(401, "certificate_refused", reason);
            });
  }
}
