package io.doorpair.portal.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.portal.http.Json;
import java.security.SecureRandom;
import java.util.Map;

/** What a gateway does in tests: approve a request as the real gateway would. */
public final class GatewayActions {
  private static final SecureRandom RANDOM = new SecureRandom();

  private GatewayActions() {}

  /**
   * Approves the request (a status object or channel request with {@code request_id}) for {@code
   * app}, with a fresh password encrypted to the app's certificate, on {@code portal}.
   */
  public static RawApi.Exchange approve(
      PortalExtension portal, Actors.Device gateway, JsonNode request, Actors.Device app) {
    String ciphertext =
        SipPasswordCipher.encrypt(
            SipPassword.generate(RANDOM), app.certificate().getPublicKey(), RANDOM);
    try {
      String body =
          Json.MAPPER.writeValueAsString(
              Map.of(
                  "sip_username",
                  "app-" + request.get("request_id").asLong(),
                  "encrypted_password",
                  ciphertext,
                  "gruu",
                  app.gruu().orElseThrow()));
      return gateway
          .on(portal)
          .postJson(
              "/api/gateway/requests/" + request.get("request_id").asLong() + "/approve", body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
