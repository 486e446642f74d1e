package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.SipPassword;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.AdminSession;
import io.doorpair.e2e.harness.AppDevice;
import io.doorpair.e2e.harness.LinphoneDoor;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.portal.testing.TestPostgres;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.LinphoneDaemon.CallEvent;
import io.doorpair.sipedge.testing.Peers;
import io.doorpair.sipedge.testing.TestRedis;
import io.doorpair.welcome.http.PortalClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Issue 9's whole portal with every actor its own process on loopback: two {@code bin/portal serve}
 * API processes on one PostgreSQL schema and one Redis (their own SIP servers unused), two {@code
 * bin/portal-sip serve} nodes on that Redis with node certificates from {@code bin/portal
 * sip-node-cert}, a gateway ({@code bin/ipgw serve} with its supervised b2b) paired through API
 * process 1 whose b2b registers on node 1, a door station ({@link LinphoneDoor}) on the b2b's
 * internal server, and alice's phone and tablet ({@link AppDevice}: paired and granted through API
 * process 2, approved on the gateway's admin site) as real {@code linphone-daemon}s on node 2.
 * Cases, in order: a door call rings both devices through node 1 → node 2 and the phone answers;
 * the tablet's certificate revoked through API process 1 cuts its live registration on node 2 and
 * the next door call rings only the phone; node 2 killed with SIGKILL: a door call to alice ends at
 * once (the b2b gets 480 from node 1), the phone registers again on node 1 and the next door call
 * rings it there.
 */
class WholePortalIT {
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String ALICE_PASSWORD = "alice's long password";
  private static final String INCOMING = "LinphoneCallIncomingReceived";
  private static final String CONNECTED = "LinphoneCallConnected";
  private static final String END = "LinphoneCallEnd";
  private static final String ERROR = "LinphoneCallError";
  private static final Pattern ADMIN_PASSWORD =
      Pattern.compile("admin password generated: read it in (\\S+) \\(mode 0600");
  private static final Pattern DOOR_PASSWORD =
      Pattern.compile("door door1@[a-z0-9]+ password \\(shown once\\): (\\S+)");
  // a smaller heap than bin/portal-sip's benchmark default: six JVMs share the machine here
  private static final Map<String, String> NODE_JVM =
      Map.of("DOORPAIR_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");

  @Test
  void a_door_call_crosses_two_sip_nodes_a_revocation_cuts_and_a_killed_node_is_survived(
      TestInfo info) throws Exception {
    Peers.require("linphone-daemon", "linphone-cli");
    String redis = TestRedis.require();
    TestPostgres.Schema schema = TestPostgres.createSchema();
    if (TestPostgres.required()) {
      assertThat(schema.name()).as(schema.unreachable().orElse("")).isPresent();
    }
    assumeTrue(schema.name().isPresent(), () -> schema.unreachable().orElse(""));
    String db = TestPostgres.urlOf(schema.name().orElseThrow());
    String prefix = TestRedis.uniquePrefix();
    List<String> shared = List.of("--db=" + db, "--redis=" + redis, "--redis-prefix=" + prefix);
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Path data1 = work.resolve("portal1/data");
    Path data2 = work.resolve("portal2/data");
    List<ActorProcess> actors = new ArrayList<>();
    try {
      ActorProcess portal1 =
          started(actors, ActorProcess.portal(work.resolve("portal1"), data1, array(shared)));
      ReadyFile ready1 = portal1.awaitReady(data1.resolve("ready.json"), START);
      // The second API process shares the CA (its key files, as an operator would copy them).
      Files.createDirectories(
          data2,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      for (String file : List.of("ca.pem", "ca-key.pem")) {
        Files.copy(data1.resolve(file), data2.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
      }
      ActorProcess portal2 =
          started(actors, ActorProcess.portal(work.resolve("portal2"), data2, array(shared)));
      ReadyFile ready2 = portal2.awaitReady(data2.resolve("ready.json"), START);
      String portalDomain = ready1.json().get("domain").asText();
      assertThat(ready2.json().get("domain").asText()).isEqualTo(portalDomain);
      ActorProcess.Result added =
          ActorProcess.run(
              work,
              ALICE_PASSWORD + "\n",
              START,
              "portal",
              "user",
              "add",
              "alice",
              "--password-stdin",
              "--db=" + db);
      assertThat(added.exit()).as(added.output()).isZero();
      X509Certificate ca = Pem.parseCertificate(Files.readString(data1.resolve("ca.pem")));

      // Two SIP nodes, each with its node certificate (Linphone and the b2b dial "localhost").
      ActorProcess node1 = startNode(actors, work, data1, "sip-one", portalDomain, redis, prefix);
      ActorProcess node2 = startNode(actors, work, data1, "sip-two", portalDomain, redis, prefix);
      int node1Port = sipPort(node1.awaitReady(work.resolve("sip-one/ready.json"), START));
      int node2Port = sipPort(node2.awaitReady(work.resolve("sip-two/ready.json"), START));

      int internalPort = freeUdpAndTcpPort();
      Path gw = work.resolve("ipgw");
      Path root = gw.resolve("root");
      Path gwData = gw.resolve("data");
      ActorProcess ipgw =
          started(
              actors,
              ActorProcess.start(
                  "ipgw",
                  gw,
                  Map.of(),
                  "ipgw",
                  "serve",
                  "--root=" + root,
                  "--data=" + gwData,
                  "--portal=" + ready1.api(),
                  "--portal-ca=" + data1.resolve("ca.pem"),
                  "--portal-sip=sips:localhost:" + node1Port,
                  "--internal-sip=sip:127.0.0.1:" + internalPort,
                  "--admin=127.0.0.1:0",
                  "--key-bits=2048"));
      try {
        String site =
            ipgw.awaitReady(gwData.resolve("ready.json"), START).json().get("admin").asText();
        AdminSession owner = new AdminSession(site);
        owner.get("/login");
        String adminPassword =
            Files.readString(
                    java.nio.file.Path.of(
                        find(ADMIN_PASSWORD, Files.readString(gw.resolve("ipgw.log")))))
                .strip();
        assertThat(owner.post("/login", Map.of("password", adminPassword)).statusCode())
            .isEqualTo(303);
        owner.get("/pairing");
        HttpResponse<String> paired =
            owner.post(
                "/pairing",
                Map.of(
                    "username", "alice",
                    "password", ALICE_PASSWORD,
                    "friendly_name", "Location: Porch"));
        assertThat(paired.statusCode()).as(paired.body()).isEqualTo(303);
        String domain =
            find(Pattern.compile("id=\"domain\">([a-z0-9]{12})<"), owner.get("/pairing").body());
        ActorProcess.Result door1 =
            ActorProcess.run(
                gw,
                "",
                DEADLINE,
                "ipgw",
                "door",
                "add",
                "door1",
                "--root=" + root,
                "--data=" + gwData);
        assertThat(door1.exit()).as(door1.output()).isZero();
        SipPassword doorPassword = SipPassword.of(find(DOOR_PASSWORD, door1.output()));

        // The apps pair and ask through API process 2; the gateway's channel is on process 1.
        PortalClient firstContact2 =
            PortalClient.builder(ready2.api()).trustAnchors(List.of(ca)).build();
        Path profiles = work.resolve("apps");
        Map<String, String> doorCalls = Map.of("door_calls", "on");
        AppDevice phone =
            AppDevice.enable(
                profiles,
                firstContact2,
                owner,
                portalDomain,
                domain,
                "alice",
                ALICE_PASSWORD,
                "Alice's phone",
                doorCalls);
        AppDevice tablet =
            AppDevice.enable(
                profiles,
                firstContact2,
                owner,
                portalDomain,
                domain,
                "alice",
                ALICE_PASSWORD,
                "Alice's tablet",
                doorCalls);
        awaitTrue(
            () -> log(gwData.resolve("b2b.log")).contains("registered ipgw@" + domain),
            "the supervised b2b registered at node 1");

        InetSocketAddress onNode1 = new InetSocketAddress("localhost", node1Port);
        InetSocketAddress onNode2 = new InetSocketAddress("localhost", node2Port);
        InetSocketAddress internal = new InetSocketAddress("127.0.0.1", internalPort);
        String ipgwUri = "sip:ipgw@" + domain;
        try (LinphoneDaemon alicePhone = phone.linphone(portalDomain, ca, onNode2, domain, true);
            LinphoneDaemon aliceTablet = tablet.linphone(portalDomain, ca, onNode2, domain, true);
            LinphoneDaemon door =
                LinphoneDoor.register(
                    work.resolve("door"), "door1", domain, doorPassword, internal, DEADLINE)) {
          alicePhone.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
          aliceTablet.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);

          // 1. The door rings both devices on node 2 from the b2b on node 1; the phone answers,
          // the tablet stops ringing; the door hangs up and the phone's call ends.
          int call = door.call(ipgwUri);
          CallEvent ringsPhone = alicePhone.awaitCallState(INCOMING);
          CallEvent ringsTablet = aliceTablet.awaitCallState(INCOMING);
          assertThat(ringsPhone.from()).contains("door1@" + domain);
          alicePhone.answer(ringsPhone.callId());
          door.awaitCallState(call, CONNECTED);
          alicePhone.awaitCallState(ringsPhone.callId(), CONNECTED);
          aliceTablet.awaitCallState(ringsTablet.callId(), END);
          door.terminate(call);
          alicePhone.awaitCallState(ringsPhone.callId(), END);
          door.awaitCallState(call, END);

          // 2. The tablet is lost: alice revokes it from her phone through API process 1. The
          // CRL reaches node 2 through Redis (its CRL file is a frozen copy), which cuts the
          // tablet's live connection; its reconnections fail the handshake. The next door call
          // rings only the phone.
          int tabletLog = aliceTablet.log().length();
          PortalClient phoneOn1 =
              PortalClient.builder(ready1.api())
                  .trustAnchors(List.of(ca))
                  .build()
                  .withIdentity(phone.key(), List.of(phone.certificate()), ca);
          phoneOn1.revokeDevice(tablet.certificate().getSerialNumber().toString(16));
          aliceTablet.awaitRegistrationState(LinphoneDaemon.REGISTRATION_FAILED);
          assertThat(log(work.resolve("sip-two/sip-two.log")))
              .as("node 2 cut the revoked connection")
              .contains("closed 1 connection(s) of revoked certificates");
          assertThat(aliceTablet.log().substring(tabletLog))
              .as("the tablet's reconnection after the revocation")
              .contains("SSL handshake failed");
          long tabletRings = count(aliceTablet.events(), INCOMING);
          int second = door.call(ipgwUri);
          CallEvent phoneAgain = alicePhone.awaitEvent(INCOMING, e -> isNew(e, ringsPhone));
          door.terminate(second);
          alicePhone.awaitCallState(phoneAgain.callId(), END);
          door.awaitCallState(second, END);
          assertThat(count(aliceTablet.events(), INCOMING))
              .as("the revoked tablet never rang again")
              .isEqualTo(tabletRings);

          // 3. Node 2 dies without a word (SIGKILL). Alice's phone registers again, on node 1
          // (its app restarted, as on a push wake-up), and the next door call rings it there.
          node2.kill9();
          // A door call while alice's only live binding is on the dead node fails at once (node 1
          // answers 480 for a node whose link broke) instead of ringing on until a timer: the
          // door's call ends well within the deadline, long before timer C (3 minutes).
          long killed = System.nanoTime();
          int unreachable = door.call(ipgwUri);
          door.awaitEvent(
              "the door's call to the dead node's device ended",
              e -> e.callId() == unreachable && (e.state().equals(END) || e.state().equals(ERROR)));
          System.out.println(
              "a door call to a device of the killed node 2 ended after "
                  + Duration.ofNanos(System.nanoTime() - killed).toMillis()
                  + " ms");
          // (closing twice is harmless: the try's close at the end finds it stopped)
          LinphoneDaemon onDeadNode = alicePhone;
          onDeadNode.close();
          try (LinphoneDaemon moved = phone.linphone(portalDomain, ca, onNode1, domain, true)) {
            moved.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
            int third = door.call(ipgwUri);
            CallEvent rings = moved.awaitCallState(INCOMING);
            assertThat(rings.from()).contains("door1@" + domain);
            moved.answer(rings.callId());
            door.awaitCallState(third, CONNECTED);
            moved.awaitCallState(rings.callId(), CONNECTED);
            door.terminate(third);
            moved.awaitCallState(rings.callId(), END);
            door.awaitCallState(third, END);
          }
        }
        assertThat(log(work.resolve("sip-one/sip-one.log")))
            .as("node 1 routed to node 2 over a node link")
            .contains("to another SIP node is up");
      } catch (AssertionError | RuntimeException e) {
        StringBuilder tails = new StringBuilder(String.valueOf(e.getMessage()));
        for (ActorProcess a : actors) {
          tails.append('\n').append(a.tail());
        }
        tails.append("\n--- b2b.log ---\n").append(tail(gwData.resolve("b2b.log")));
        throw new AssertionError(tails.toString(), e);
      }
    } finally {
      for (int i = actors.size() - 1; i >= 0; i--) {
        actors.get(i).close();
      }
      TestPostgres.dropSchema(schema.name().orElseThrow());
      TestRedis.deleteKeys(prefix);
    }
  }

  /**
   * Issues a node certificate with {@code bin/portal sip-node-cert} from the CA in {@code data} and
   * starts {@code bin/portal-sip serve} as node {@code name} on Redis, following the CRL of API
   * process 1 (revocations reach it through Redis in any case).
   */
  private static ActorProcess startNode(
      List<ActorProcess> actors,
      Path work,
      Path data,
      String name,
      String portalDomain,
      String redis,
      String prefix)
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(work.resolve(name));
    Path files = dir.resolve("node-files");
    ActorProcess.Result cert =
        ActorProcess.run(
            dir,
            "",
            START,
            "portal",
            "sip-node-cert",
            "--data=" + data,
            "--name=" + name + ".localhost",
            "--name=localhost",
            "--name=127.0.0.1",
            "--out=" + files);
    assertThat(cert.exit()).as(cert.output()).isZero();
    Path crl = Files.copy(data.resolve("crl.pem"), dir.resolve("crl.pem"));
    return started(
        actors,
        ActorProcess.start(
            name,
            dir,
            NODE_JVM,
            "portal-sip",
            "serve",
            "--sip=127.0.0.1:0",
            "--domain=" + portalDomain,
            "--ca=" + files.resolve("ca.pem"),
            "--cert=" + files.resolve("sip-node.pem"),
            "--key=" + files.resolve("sip-node-key.pem"),
            "--crl=" + crl,
            "--ready=" + dir.resolve("ready.json"),
            "--redis=" + redis,
            "--redis-prefix=" + prefix,
            "--node=" + name));
  }

  private static ActorProcess started(List<ActorProcess> actors, ActorProcess actor) {
    actors.add(actor);
    return actor;
  }

  private static String[] array(List<String> flags) {
    return flags.toArray(String[]::new);
  }

  private static int sipPort(ReadyFile ready) {
    return Integer.parseInt(ready.json().get("sip").asText().replaceAll(".*:", ""));
  }

  private static boolean isNew(CallEvent e, CallEvent old) {
    return e.state().equals(INCOMING) && e.callId() != old.callId();
  }

  private static long count(List<CallEvent> events, String state) {
    return events.stream().filter(e -> e.state().equals(state)).count();
  }

  private static int freeUdpAndTcpPort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          DatagramSocket udp =
              new DatagramSocket(
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()))) {
        return udp.getLocalPort();
      } catch (IOException e) {
        // the UDP port was taken: try another
      }
    }
    throw new IOException("no port free for both UDP and TCP");
  }

  private static String log(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(Path file) {
    String text = log(file);
    return text.substring(Math.max(0, text.length() - 6000));
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as("%s in %s", p, text).isTrue();
    return m.group(1);
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
