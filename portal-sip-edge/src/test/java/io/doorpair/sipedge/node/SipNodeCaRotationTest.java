package io.doorpair.sipedge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final String DOMAIN = "portal.test";
  private static final TestPki OLD = TestPki.shared();
  private static final TestPki NEW = TestPki.create("doorpair test CA 20261205T040000Z");
  private static final Pattern READY =
      Pattern.compile("\\{\"pid\":(\\d+),\"sip\":\"127\\.0\\.0\\.1:(\\d+)\"}\\s*");

  @TempDir Path dir;
  private Path bundle;
  private Path newCa;
  private Path cert;
  private Path key;
  private Path crl;
  private Path crlPrevious;
  private Path ready;
  private Path log;
  private NodeProgram node;

  @BeforeEach
  void files() throws IOException {
    Leaf nodeLeaf = NEW.issueServer("127.0.0.1");
    bundle = write("ca.pem", NEW.caPem() + OLD.caPem(), "rw-r--r--");
    newCa = write("ca-new.pem", NEW.caPem(), "rw-r--r--");
    cert = write("node.pem", nodeLeaf.certificatePem(), "rw-r--r--");
    key = write("node-key.pem", nodeLeaf.privateKeyPem(), "rw-------");
    crl = write("crl.pem", Pem.crl(NEW.crl()), "rw-r--r--");
    crlPrevious = write("crl-previous.pem", Pem.crl(OLD.crl()), "rw-r--r--");
    ready = dir.resolve("ready.json");
    log = dir.resolve("node.log");
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private Path write(String name, String content, String mode) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private void replace(Path target, String content) throws IOException {
    Path tmp = dir.resolve(".crl.tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private InetSocketAddress start(Path ca, Path... crls) throws Exception {
    Files.deleteIfExists(ready);
    List<String> args = new ArrayList<>(NodeProgram.serve(DOMAIN, ca, cert, key, crls[0], ready));
    for (int i = 1; i < crls.length; i++) {
      args.add("--crl");
      args.add(crls[i].toString());
    }
    node = NodeProgram.start(log, args);
    Matcher m = READY.matcher(node.awaitFile(ready));
    assertThat(m.matches()).isTrue();
    return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2)));
  }

  private static String register(Leaf leaf) {
    return NodeProgram.register(
        DOMAIN, leaf, CertificateIdentity.of(leaf.certificate()).commonName());
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
      replace(crlPrevious, Pem.crl(OLD.crl(oldDevice.serial())));
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
      replace(crl, Pem.crl(NEW.crl(newDevice.serial())));
      assertThat(newFlow.awaitClosedByServer()).as("the new CA's revoked device cut").isTrue();
    }
  }

  @Test
  void a_trusted_ca_without_its_crl_refuses_the_start() throws Exception {
    List<String> args = NodeProgram.serve(DOMAIN, bundle, cert, key, crl, ready);
    node = NodeProgram.start(log, args);
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
    args.add(write("crl-again.pem", Pem.crl(NEW.crl()), "rw-r--r--").toString());
    node = NodeProgram.start(log, args);
    assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.process().exitValue()).isEqualTo(1);
    assertThat(node.logText()).contains("a second CRL of the CA already given by --crl " + crl);

    // a CRL signed by neither CA
    Path rogue = write("crl-rogue.pem", Pem.crl(OLD.rogueCrl()), "rw-r--r--");
    List<String> withRogue = NodeProgram.serve(DOMAIN, bundle, cert, key, crl, ready);
    withRogue.add("--crl");
    withRogue.add(rogue.toString());
    node = NodeProgram.start(log, withRogue);
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
    Leaf nodeLeaf = OLD.issueServer("127.0.0.1");
    write("node.pem", nodeLeaf.certificatePem(), "rw-r--r--");
    write("node-key.pem", nodeLeaf.privateKeyPem(), "rw-------");
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
    String url = TestRedis.require();
    String prefix = TestRedis.uniquePrefix();
    Leaf nodeTwo = NEW.issueNode("sip-two.nodes.test", "127.0.0.1");
    write("node.pem", nodeTwo.certificatePem(), "rw-r--r--");
    write("node-key.pem", nodeTwo.privateKeyPem(), "rw-------");
    Leaf nodeOne = OLD.issueNode("sip-one.nodes.test", "127.0.0.1");
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      RunningSipEdge one =
          SipEdge.start(
              SipEdgeConfig.of(
                      SipEdgeConfig.parseListen("127.0.0.1:0"),
                      DOMAIN,
                      List.of(NEW.caCertificate(), OLD.caCertificate()),
                      nodeOne.keys().getPrivate(),
                      List.of(nodeOne.certificate()))
                  .withCrl(NEW.crl()),
              RedisSettings.of(url).withKeyPrefix(prefix),
              "sip-one");
      opened.add(one);
      one.updateCrl(OLD.crl());
      Files.deleteIfExists(ready);
      List<String> args = new ArrayList<>(NodeProgram.serve(DOMAIN, bundle, cert, key, crl, ready));
      args.addAll(
          List.of(
              "--crl",
              crlPrevious.toString(),
              "--redis",
              url,
              "--redis-prefix",
              prefix,
              "--node",
              "sip-two"));
      node = NodeProgram.start(log, args);
      Matcher m = READY.matcher(node.awaitFile(ready));
      assertThat(m.matches()).isTrue();
      InetSocketAddress two = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2)));
      long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (one.linkTo("sip-two").isEmpty() && System.nanoTime() < guard) {
        Thread.sleep(50); // polling for the link's first pong, not a timed assertion
      }
      assertThat(one.linkTo("sip-two")).as("old-CA node's link to the new-CA node").isPresent();

      // an app of the old CA on the new-CA node, a gateway of the new CA on the old-CA node
      Leaf app = device(OLD, "alice");
      Leaf gateway = NEW.issueClient("ipgw@rotation1234", Optional.empty());
      SipTlsClient appFlow = SipTlsClient.connect(two, Optional.of(app), NEW.caCertificate());
      opened.add(appFlow);
      assertThat(appFlow.send(register(app)).status()).isEqualTo(200);
      SipTlsClient gw =
          SipTlsClient.connect(one.sipAddress(), Optional.of(gateway), OLD.caCertificate());
      opened.add(gw);
      assertThat(gw.send(registerGateway(gateway)).status()).isEqualTo(200);

      String invite =
          SipTlsClient.request(
              "INVITE",
              "sip:alice@" + DOMAIN,
              "<sip:ipgw@rotation1234>",
              "<sip:alice@" + DOMAIN + ">",
              "Contact: <sip:gw@127.0.0.1:5998;transport=tls>");
      gw.write(invite);
      SipTlsClient.Request ringing = appFlow.awaitRequest("INVITE");
      appFlow.reply(ringing, 486, "Busy Here", "tag-app");
      SipTlsClient.Response busy = gw.awaitResponse(486);
      gw.write(SipTlsClient.ackOf(invite, busy));
    } finally {
      for (int i = opened.size() - 1; i >= 0; i--) {
        opened.get(i).close();
      }
      TestRedis.deleteKeys(prefix);
    }
  }

  private static String registerGateway(Leaf leaf) {
    String aor = CertificateIdentity.of(leaf.certificate()).commonName();
    return SipTlsClient.request(
        "REGISTER",
        "sip:" + DOMAIN,
        "<sip:" + aor + ">",
        "<sip:" + aor + ">",
        "Contact: <sip:gw@127.0.0.1:5998;transport=tls>",
        "Expires: 600");
  }
}
