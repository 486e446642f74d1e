package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.LinphoneDaemon.CallEvent;
import io.doorpair.sipedge.testing.Peers;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.http.PortalClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Registration and a call through {@code bin/portal serve}'s SIP server, with real Linphones: an
 * app and a gateway pair over HTTPS with the Java client, then each runs as a Linphone with the
 * certificate it received; the app registers (one binding, its {@code pub-gruu}), the gateway calls
 * the user, the app answers, the gateway hangs up. Then the app revokes its own certificate through
 * the API and the portal's SIP server cuts its live registration.
 */
class SipCallIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PASSWORD = "carol's long password";
  private static final String INCOMING = "LinphoneCallIncomingReceived";
  private static final String CONNECTED = "LinphoneCallConnected";
  private static final String END = "LinphoneCallEnd";

  @Test
  void an_app_registers_and_answers_the_gateways_call_then_its_revocation_cuts_it(TestInfo info)
      throws Exception {
    Peers.require("linphone-daemon", "linphone-cli");
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Path data = work.resolve("portal/data");
    try (ActorProcess portal = ActorProcess.portal(work.resolve("portal"), data)) {
      ReadyFile ready = portal.awaitReady(data.resolve("ready.json"), START);
      try {
        ActorProcess.addPortalUser(work, data, "carol", PASSWORD);
        String domain = ready.json().get("domain").asText();
        int sipPort = Integer.parseInt(ready.json().get("sip").asText().replaceAll(".*:", ""));
        // Linphone checks the server name against DNS names only: the portal's certificate
        // always carries localhost
        InetSocketAddress sip = new InetSocketAddress("localhost", sipPort);
        X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
        PortalClient firstContact =
            PortalClient.builder(ready.api()).trustAnchors(List.of(ca)).build();

        KeyPair appKeys = RsaKeys.generate(2048);
        UUID phone = UUID.randomUUID();
        CertificateResponse app =
            firstContact.pair(
                "carol",
                PASSWORD.toCharArray(),
                CertificateRequest.create(appKeys, "carol@" + domain, Optional.of(phone)).pem(),
                "Carol's phone");
        X509Certificate appCert = Pem.parseCertificate(app.certificate());

        KeyPair gatewayKeys = RsaKeys.generate(2048);
        String gatewayDomain =
            "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 9);
        CertificateResponse gateway =
            firstContact.pair(
                "carol",
                PASSWORD.toCharArray(),
                CertificateRequest.create(gatewayKeys, "ipgw@" + gatewayDomain, Optional.empty())
                    .pem(),
                "Location: Porch");
        X509Certificate gatewayCert = Pem.parseCertificate(gateway.certificate());

        LinphoneConfig appConfig =
            new LinphoneConfig(
                "carol",
                domain,
                Optional.of(phone),
                appKeys.getPrivate(),
                List.of(appCert),
                ca,
                sip,
                true);
        LinphoneConfig gatewayConfig =
            new LinphoneConfig(
                "ipgw",
                gatewayDomain,
                Optional.empty(),
                gatewayKeys.getPrivate(),
                List.of(gatewayCert),
                ca,
                sip,
                true);
        try (LinphoneDaemon carol = LinphoneDaemon.start(appConfig);
            LinphoneDaemon door = LinphoneDaemon.start(gatewayConfig)) {
          carol.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
          door.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
          assertThat(carol.log())
              .as("the portal's SIP server gave the app its pub-gruu")
              .contains("pub-gruu=\"" + app.gruu() + "\"");

          int call = door.call("sip:carol@" + domain);
          CallEvent ringing = carol.awaitCallState(INCOMING);
          assertThat(ringing.from()).contains("ipgw@" + gatewayDomain);
          carol.answer(ringing.callId());
          carol.awaitCallState(ringing.callId(), CONNECTED);
          door.awaitCallState(call, CONNECTED);
          door.terminate(call);
          door.awaitCallState(call, END);
          carol.awaitCallState(ringing.callId(), END);

          // The app revokes its own certificate: the portal publishes a CRL, its SIP server cuts
          // the live connection, and Linphone's reconnection is refused in the handshake.
          int logBefore = carol.log().length();
          PortalClient carolClient =
              firstContact.withIdentity(appKeys.getPrivate(), List.of(appCert), ca);
          carolClient.revokeDevice(appCert.getSerialNumber().toString(16));
          carol.awaitRegistrationState(LinphoneDaemon.REGISTRATION_FAILED);
          assertThat(carol.log().substring(logBefore))
              .as("Linphone's reconnection after the revocation")
              .contains("SSL handshake failed");
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n" + portal.tail(), e);
      }
    }
  }
}
