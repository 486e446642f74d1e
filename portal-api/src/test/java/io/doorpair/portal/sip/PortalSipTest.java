package io.doorpair.portal.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SIP over TLS server {@code portal serve} starts in-process: apps paired over HTTPS register
 * with their certificate, and a revocation over the API cuts their live SIP connection.
 */
class PortalSipTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension();

  private static final String PASSWORD = "sip password";
  private static final String DOMAIN = "portal.localhost";

  private static SipTlsClient connect(Device device) throws IOException {
    Leaf leaf = new Leaf(device.keys(), device.certificate(), PORTAL.portal().caCertificate());
    return SipTlsClient.connect(
        PORTAL.portal().sipAddress(), Optional.of(leaf), PORTAL.portal().caCertificate());
  }

  private static String register(String fromUser, String toUser, Device device) {
    String instance = device.instance().orElseThrow();
    if (!instance.startsWith("urn:uuid:")) {
      instance = "urn:uuid:" + instance;
    }
    return SipTlsClient.request(
        "REGISTER",
        "sip:" + DOMAIN,
        "<sip:" + fromUser + "@" + DOMAIN + ">",
        "<sip:" + toUser + "@" + DOMAIN + ">",
        "Contact: <sip:device@127.0.0.1:5999;transport=tls>;+sip.instance=\"<" + instance + ">\"",
        "Expires: 600");
  }

  @Test
  void ready_file_names_the_bound_sip_address() throws IOException {
    String ready = Files.readString(PORTAL.dataDir().resolve("ready.json"), StandardCharsets.UTF_8);
    assertThat(PORTAL.portal().sipAddress().getPort()).isPositive();
    assertThat(ready)
        .contains("\"sip\":\"" + PORTAL.portal().sipHostPort() + "\"")
        .contains("\"api\":\"" + PORTAL.url() + "\"");
  }

  @Test
  void app_paired_over_https_registers_over_sip_tls() throws IOException {
    String user = Actors.newUser(PORTAL, "sipreg", PASSWORD);
    Device phone = Actors.app(PORTAL, user, PASSWORD);
    try (SipTlsClient client = connect(phone)) {
      Response response = client.send(register(user, user, phone));
      assertThat(response.status()).isEqualTo(200);
    }
  }

  @Test
  void request_whose_from_differs_from_the_certificate_gets_403() throws IOException {
    String user = Actors.newUser(PORTAL, "sipfrom", PASSWORD);
    String other = Actors.newUser(PORTAL, "sipother", PASSWORD);
    Device phone = Actors.app(PORTAL, user, PASSWORD);
    try (SipTlsClient client = connect(phone)) {
      assertThat(client.send(register(other, other, phone)).status()).isEqualTo(403);
    }
  }

  @Test
  void revoking_a_device_over_the_api_closes_its_live_sip_connection() throws IOException {
    String user = Actors.newUser(PORTAL, "siprevoke", PASSWORD);
    Device stolen = Actors.app(PORTAL, user, PASSWORD);
    Device kept = Actors.app(PORTAL, user, PASSWORD);
    try (SipTlsClient client = connect(stolen);
        SipTlsClient bystander = connect(kept)) {
      assertThat(client.send(register(user, user, stolen)).status()).isEqualTo(200);

      RawApi.Exchange revoke =
          kept.on(PORTAL).postJson("/api/devices/" + stolen.serialHex() + "/revoke", "{}");
      assertThat(revoke.status()).isEqualTo(200);

      // the connection is closed: no response comes (the client's read timeout is the guard)
      assertThatThrownBy(() -> client.send(register(user, user, stolen)))
          .isInstanceOf(IOException.class);
      assertThat(bystander.send(register(user, user, kept)).status()).isEqualTo(200);
    }
    assertThatThrownBy(() -> connect(stolen).send(register(user, user, stolen)))
        .isInstanceOf(IOException.class);
  }
}
