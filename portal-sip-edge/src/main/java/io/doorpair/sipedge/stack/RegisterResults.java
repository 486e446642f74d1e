package io.doorpair.sipedge.stack;

import io.doorpair.sipedge.admission.IdentityCheck;
import io.doorpair.sipedge.metrics.RegisterResult;
import io.doorpair.sipedge.registrar.Registrar;
import javax.sip.message.Response;

/** Tells a REGISTER's answer apart by the reason phrases this server itself writes. */
final class RegisterResults {
  private RegisterResults() {}

  /** The result behind {@code response}, a final answer to a REGISTER made here. */
  static RegisterResult of(Response response) {
    int status = response.getStatusCode();
    String reason = response.getReasonPhrase() == null ? "" : response.getReasonPhrase();
    if (status / 100 == 2) {
      return RegisterResult.ACCEPTED;
    }
    switch (status) {
      case Response.FORBIDDEN:
        if (IdentityCheck.REASON.equals(reason)) {
          return RegisterResult.IDENTITY_MISMATCH;
        } else if (EdgeSipListener.REVOKED.equals(reason)) {
          return RegisterResult.REVOKED;
        } else if (Registrar.THIRD_PARTY.equals(reason)) {
          return RegisterResult.THIRD_PARTY;
        } else if (Registrar.WRONG_INSTANCE.equals(reason)) {
          return RegisterResult.WRONG_INSTANCE;
        } else if (EdgeSipListener.NODE_REGISTERS.equals(reason)) {
          return RegisterResult.NODE_CERTIFICATE;
        }
        return RegisterResult.OTHER;
      case Response.INTERVAL_TOO_BRIEF:
        return RegisterResult.INTERVAL_TOO_BRIEF;
      case Response.SERVICE_UNAVAILABLE:
        return RegisterResult.STORE_UNAVAILABLE;
      case Response.BAD_REQUEST:
        return RegisterResult.MALFORMED;
      default:
        return RegisterResult.OTHER;
    }
  }
}
