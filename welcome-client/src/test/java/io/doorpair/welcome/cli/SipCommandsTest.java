package io.doorpair.welcome.cli;

import static io.doorpair.welcome.sip.EdgeFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.Peers;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Request;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.profile.Profile;
import io.doorpair.welcome.profile.ProfileSettings;
import io.doorpair.welcome.profile.StoredAccount;
import io.doorpair.welcome.sip.EdgeFixture;
import io.doorpair.welcome.sip.EdgeFixture.Device;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code welcome register}, {@code call} and {@code open-door} with a paired profile against the
 * real portal SIP server in-process: the door side is a TLS peer registered as {@code ipgw@DOMAIN}
 * challenging with the b2b's {@link DigestGate}, or a real Linphone holding a gateway certificate.
 */
class SipCommandsTest {
  private static final String DOMAIN = "cli0door0001";
  private static final String ACCOUNT = "cleo-1";
  private static final SipPassword PASSWORD = SipPassword.generate(new SecureRandom());

  @TempDir Path dir;

  private RunningSipEdge edge;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ExecutorService runner = Executors.newSingleThreadExecutor();

  @BeforeEach
  void start() throws Exception {
    edge = EdgeFixture.edge(0, EdgeFixture.localServer());
  }

  @AfterEach
  void stop() throws Exception {
    runner.shutdownNow();
    runner.awaitTermination(30, TimeUnit.SECONDS);
    edge.close();
  }

  private Path profile(SipPassword password) {
    Device device = Device.of("cleo");
    Leaf leaf = device.leaf();
    String gruu = "sip:cleo@" + EdgeFixture.PORTAL_DOMAIN + ";gr=urn:uuid:" + device.instance();
    Profile profile = Profile.at(dir.resolve("profile"));
    profile.storePairing(
        new PairedIdentity(
            new ProfileSettings(
                "https://localhost:1",
                "cleo",
                EdgeFixture.PORTAL_DOMAIN,
                device.instance(),
                "Cleo's phone",
                gruu),
            leaf.keys().getPrivate(),
            leaf.certificate(),
            EdgeFixture.PKI.caCertificate()));
    profile.storeAccount(
        new StoredAccount(
            DOMAIN,
            1,
            ACCOUNT,
            SipPasswordCipher.encrypt(password, leaf.certificate().getPublicKey()),
            gruu,
            "sip:ipgw@" + DOMAIN,
            EdgeFixture.PORTAL_DOMAIN,
            "1234"));
    return profile.folder();
  }

  private Future<Integer> welcome(String... args) {
    CommandLine cli = new CommandLine(new WelcomeCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return runner.submit(() -> cli.execute(args));
  }

  private String proxy() {
    return "localhost:" + edge.sipAddress().getPort();
  }

  private SipTlsClient gateway() throws Exception {
    Leaf certificate = EdgeFixture.PKI.issueClient("ipgw@" + DOMAIN, Optional.empty());
    SipTlsClient gateway =
        SipTlsClient.connect(
            edge.sipAddress(), Optional.of(certificate), EdgeFixture.PKI.caCertificate());
    assertThat(
            gateway
                .send(
                    SipTlsClient.request(
                        "REGISTER",
                        "sip:" + EdgeFixture.PORTAL_DOMAIN,
                        "<sip:ipgw@" + DOMAIN + ">",
                        "<sip:ipgw@" + DOMAIN + ">",
                        "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>",
                        "Expires: 600"))
                .status())
        .isEqualTo(200);
    return gateway;
  }

  /** The b2b's part: challenge until the gate accepts (then 200), at most twice. */
  private static Optional<Request> challenge(SipTlsClient gateway, DigestGate gate)
      throws Exception {
    for (int i = 0; i < 2; i++) {
      Request invite = gateway.awaitRequest("INVITE");
      String auth = invite.first("Proxy-Authorization");
      DigestGate.Verdict verdict =
          gate.check("INVITE", invite.uri(), auth.isEmpty() ? Optional.empty() : Optional.of(auth));
      if (verdict instanceof DigestGate.Accepted) {
        gateway.reply(invite, 200, "OK", "gw", "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>");
        gateway.awaitRequest("ACK");
        return Optional.of(invite);
      }
      List<String> extra = new ArrayList<>();
      for (String value : ((DigestGate.Challenge) verdict).headerValues()) {
        extra.add("Proxy-Authenticate: " + value);
      }
      gateway.reply(
          invite, 407, "Proxy Authentication Required", "gw", extra.toArray(new String[0]));
    }
    return Optional.empty();
  }

  private static DigestGate gate() {
    return new DigestGate(
        DOMAIN,
        List.of(new PasswdEntry(ACCOUNT, DOMAIN, PASSWORD)),
        Clock.systemUTC(),
        new SecureRandom());
  }

  @Test
  void open_door_calls_sends_the_info_and_hangs_up() throws Exception {
    Path profile = profile(PASSWORD);
    try (SipTlsClient gateway = gateway()) {
      Future<Integer> run =
          welcome(
              "--profile",
              profile.toString(),
              "--json",
              "open-door",
              DOMAIN,
              "door1",
              "--proxy",
              proxy());
      assertThat(challenge(gateway, gate())).isPresent();
      Request info = gateway.awaitRequest("INFO");
      assertThat(info.body()).isEqualTo("Signal=#\r\nDuration=250\r\n");
      gateway.reply(info, 200, "OK", "gw");
      Request bye = gateway.awaitRequest("BYE");
      gateway.reply(bye, 200, "OK", "gw");
      assertThat(run.get(60, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
      assertThat(out.toString()).contains("\"event\":\"door_opened\"");
      assertThat(out.toString() + err).doesNotContain(PASSWORD.reveal());
    }
  }

  @Test
  void call_with_a_wrong_password_fails_clearly() throws Exception {
    Path profile = profile(SipPassword.generate(new SecureRandom()));
    try (SipTlsClient gateway = gateway()) {
      Future<Integer> run =
          welcome(
              "--profile",
              profile.toString(),
              "call",
              DOMAIN,
              "door1",
              "--proxy",
              proxy(),
              "--hold",
              "1");
      assertThat(challenge(gateway, gate())).isEmpty();
      assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(WelcomeCommand.FAILED);
      assertThat(err.toString()).contains("auth_failed");
    }
  }

  @Test
  void call_connects_opens_the_door_and_holds() throws Exception {
    Path profile = profile(PASSWORD);
    try (SipTlsClient gateway = gateway()) {
      Future<Integer> run =
          welcome(
              "--profile",
              profile.toString(),
              "call",
              DOMAIN,
              "door1",
              "--proxy",
              proxy(),
              "--open-door",
              "--door-digit",
              "5",
              "--hold",
              "2");
      assertThat(challenge(gateway, gate())).isPresent();
      Request info = gateway.awaitRequest("INFO");
      assertThat(info.body()).startsWith("Signal=5\r\n");
      gateway.reply(info, 200, "OK", "gw");
      Request bye = gateway.awaitRequest("BYE");
      gateway.reply(bye, 200, "OK", "gw");
      assertThat(run.get(60, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
      assertThat(out.toString()).contains("Connected.").contains("Door opened.");
    }
  }

  @Test
  void register_prints_and_auto_answers_a_door_call() throws Exception {
    Peers.require("linphone-daemon", "linphone-cli");
    Path profile = profile(PASSWORD);
    Leaf gatewayCertificate = EdgeFixture.PKI.issueClient("ipgw@" + DOMAIN, Optional.empty());
    InputStream stdin = System.in;
    PipedOutputStream keys = new PipedOutputStream();
    System.setIn(new PipedInputStream(keys));
    try (LinphoneDaemon door =
        LinphoneDaemon.start(
            new LinphoneConfig(
                "ipgw",
                DOMAIN,
                Optional.empty(),
                gatewayCertificate.keys().getPrivate(),
                List.of(gatewayCertificate.certificate()),
                EdgeFixture.PKI.caCertificate(),
                new InetSocketAddress("localhost", edge.sipAddress().getPort()),
                true))) {
      Future<Integer> run =
          welcome(
              "--profile",
              profile.toString(),
              "--json",
              "register",
              "--auto-answer",
              "--proxy",
              proxy());
      awaitTrue("registered", () -> out.toString().contains("\"event\":\"registered\""));
      door.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
      int call = door.call("sip:cleo@" + EdgeFixture.PORTAL_DOMAIN);
      door.awaitCallState(call, "LinphoneCallConnected");
      awaitTrue("ringing printed", () -> out.toString().contains("\"event\":\"ringing\""));
      awaitTrue("answered printed", () -> out.toString().contains("\"event\":\"answered\""));
      assertThat(out.toString()).contains("ipgw@" + DOMAIN);
      door.terminate(call);
      awaitTrue("ended printed", () -> out.toString().contains("\"event\":\"ended\""));
      keys.write("q\n".getBytes(StandardCharsets.UTF_8));
      keys.flush();
      assertThat(run.get(60, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    } finally {
      System.setIn(stdin);
    }
  }
}
