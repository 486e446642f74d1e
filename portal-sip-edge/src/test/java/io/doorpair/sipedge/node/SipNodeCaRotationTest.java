package io.doorpair.sipedge.node;

import static io.doorpair.sipedge.node.ProgramNodes.busyCall;
import static io.doorpair.sipedge.node.ProgramNodes.inviteAlice;
import static io.doorpair.sipedge.node.ProgramNodes.register;
import static io.doorpair.sipedge.node.ProgramNodes.registerGateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.testing.SipTlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portal-sip serve} as a real child process during a portal CA rotation's overlap: {@code
 * --ca} holds both CAs and {@code --crl} is given once per CA. Devices of either CA register over
 * mutual TLS, a revocation in the previous CA's CRL cuts its device, a trusted CA without its CRL
 * refuses the start, and after the retirement (new CA only) the old CA's device fails the
 * handshake.
 */
class SipNodeCaRotationTest {
  private static final String DOMAIN = ProgramNodes.DOMAIN;
  private static final TestPki OLD = TestPki.shared();
  private static final TestPki NEW = TestPki.create("doorpair test CA 20261205T040000Z");

  @TempDir Path dir;
  private ProgramNodes nodes;
  private Path bundle;
  private Path newCa;
  private Path crl;
  private Path crlPrevious;
  private Path ready;

  @BeforeEach
  void files() throws IOException {
    nodes = new ProgramNodes(dir, "ready.json");
    bundle = nodes.write("ca.pem", NEW.caPem() + OLD.caPem(), "rw-r--r--");
    newCa = nodes.write("ca-new.pem", NEW.caPem(), "rw-r--r--");
    nodes.writeNodeCertificate(NEW.issueServer("127.0.0.1"));
    crl = nodes.write("crl.pem", Pem.crl(NEW.crl()), "rw-r--r--");
    crlPrevious = nodes.write("crl-previous.pem", Pem.crl(OLD.crl()), "rw-r--r--");
    ready = nodes.ready();
  }

  @AfterEach
  void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  private InetSocketAddress start(Path ca, Path... crls) throws Exception {
    Files.deleteIfExists(ready);
    List<String> args = nodes.serve(ca, crls[0]);
    for (int i = 1; i < crls.length; i++) {
      args.add("--crl");
      args.add(crls[i].toString());
    }
    nodes.start(args);
    return nodes.awaitReady().sip();
  }

  private static Leaf device(TestPki pki, String user) {
    return pki.issueClient(user + "@" + DOMAIN, Optional.of(UUID.randomUUID()));
  }

  @Test
  void during_the_overlap_devices_of_both_cas_register_and_both_crls_bite() throws Exception {
    InetSocketAddress sip = start(bundle, crl, crlPrevious);
    Leaf oldDevice = device(OLD, "old");
    Leaf newDevice = device(NEW, "new");
    try (SipTlsClient oldFlow =
            SipTlsClient.connect(sip, Optional.of(oldDevice), NEW.caCertificate());
        SipTlsClient newFlow =
            SipTlsClient.connect(sip, Optional.of(newDevice), NEW.caCertificate())) {
      assertThat(oldFlow.send(register(oldDevice)).status()).isEqualTo(200);
      assertThat(newFlow.send(register(newDevice)).status()).isEqualTo(200);

      // a revocation by the previous CA (its crl-previous.pem replaced) cuts its device at once
      nodes.replace(crlPrevious, Pem.crl(OLD.crl(oldDevice.serial())));
      assertThat(oldFlow.awaitClosedByServer()).as("the old CA's revoked device cut").isTrue();
      assertThat(newFlow.send(register(newDevice)).status()).as("new untouched").isEqualTo(200);
    }
    assertThatThrownBy(
            () -> {
              try (SipTlsClient again =
                  SipTlsClient.connect(sip, Optional.of(oldDevice), NEW.caCertificate())) {
                again.send(register(oldDevice));
              }
            })
        .isInstanceOf(IOException.class);

    // a revocation by the new CA bites as well
    try (SipTlsClient newFlow =
        SipTlsClient.connect(sip, Optional.of(newDevice), NEW.caCertificate())) {
      assertThat(newFlow.send(register(newDevice)).status()).isEqualTo(200);
      nodes.replace(crl, Pem.crl(NEW.crl(newDevice.serial())));
      assertThat(newFlow.awaitClosedByServer()).as("the new CA's revoked device cut").isTrue();
    }
  }

  @Test
  void a_trusted_ca_without_its_crl_refuses_the_start() throws Exception {
    List<String> args = nodes.serve(bundle, crl);
    NodeProgram node = nodes.start(args);
    assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.process().exitValue()).isEqualTo(1);
    assertThat(node.logText().strip())
        .startsWith(
            "portal-sip: --ca "
                + bundle
                + ": no --crl for the CA "
                + OLD.caCertificate().getSubjectX500Principal().getName())
        .doesNotContain("\n");
    assertThat(ready).doesNotExist();

    // two CRLs of one CA, the other CA still without one
    args.add("--crl");
    args.add(nodes.write("crl-again.pem", Pem.crl(NEW.crl()), "rw-r--r--").toString());
    node = nodes.start(args);
    assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.process().exitValue()).isEqualTo(1);
    assertThat(node.logText()).contains("a second CRL of the CA already given by --crl " + crl);

    // a CRL signed by neither CA
    Path rogue = nodes.write("crl-rogue.pem", Pem.crl(OLD.rogueCrl()), "rw-r--r--");
    List<String> withRogue = nodes.serve(bundle, crl);
    withRogue.add("--crl");
    withRogue.add(rogue.toString());
    node = nodes.start(withRogue);
    assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.process().exitValue()).isEqualTo(1);
    assertThat(node.logText().strip())
        .isEqualTo("portal-sip: --crl " + rogue + ": not signed by the CA in --ca " + bundle);
  }

  @Test
  void after_retiring_the_old_ca_its_devices_fail_the_handshake() throws Exception {
    Leaf oldDevice = device(OLD, "old");
    Leaf newDevice = device(NEW, "new");
    InetSocketAddress sip = start(newCa, crl);
    try (SipTlsClient newFlow =
        SipTlsClient.connect(sip, Optional.of(newDevice), NEW.caCertificate())) {
      assertThat(newFlow.send(register(newDevice)).status()).isEqualTo(200);
    }
    assertThatThrownBy(
            () -> {
              try (SipTlsClient again =
                  SipTlsClient.connect(sip, Optional.of(oldDevice), NEW.caCertificate())) {
                again.send(register(oldDevice));
              }
            })
        .as("the old CA's device refused")
        .isInstanceOf(IOException.class);
  }

  @Test
  void a_node_certificate_of_the_previous_ca_serves_devices_of_both() throws Exception {
    nodes.writeNodeCertificate(OLD.issueServer("127.0.0.1"));
    InetSocketAddress sip = start(bundle, crlPrevious, crl);
    for (Leaf device : List.of(device(OLD, "old"), device(NEW, "new"))) {
      try (SipTlsClient flow =
          SipTlsClient.connect(sip, Optional.of(device), OLD.caCertificate())) {
        assertThat(flow.send(register(device)).status()).isEqualTo(200);
      }
    }
  }

  @Test
  void nodes_with_node_certificates_of_either_ca_link_and_route_calls() throws Exception {
    nodes.writeNodeCertificate(NEW.issueNode("sip-two.nodes.test", "127.0.0.1"));
    Leaf nodeOne = OLD.issueNode("sip-one.nodes.test", "127.0.0.1");
    RunningSipEdge one =
        nodes.startNodeOne(
            SipEdgeConfig.of(
                    SipEdgeConfig.parseListen("127.0.0.1:0"),
                    DOMAIN,
                    List.of(NEW.caCertificate(), OLD.caCertificate()),
                    nodeOne.keys().getPrivate(),
                    List.of(nodeOne.certificate()))
                .withCrl(NEW.crl()));
    one.updateCrl(OLD.crl());
    Files.deleteIfExists(ready);
    List<String> args = nodes.serve(bundle, crl);
    args.addAll(List.of("--crl", crlPrevious.toString()));
    InetSocketAddress two =
        nodes.startNodeTwo(one, args, "old-CA node's link to the new-CA node").sip();

    // an app of the old CA on the new-CA node, a gateway of the new CA on the old-CA node
    Leaf app = device(OLD, "alice");
    Leaf gateway = NEW.issueClient("ipgw@rotation1234", Optional.empty());
    SipTlsClient appFlow = nodes.connect(two, app, NEW.caCertificate());
    assertThat(appFlow.send(register(app)).status()).isEqualTo(200);
    SipTlsClient gw = nodes.connect(one.sipAddress(), gateway, OLD.caCertificate());
    assertThat(gw.send(registerGateway(gateway)).status()).isEqualTo(200);
    busyCall(gw, appFlow, inviteAlice("ipgw@rotation1234"), "tag-app");
  }
}
