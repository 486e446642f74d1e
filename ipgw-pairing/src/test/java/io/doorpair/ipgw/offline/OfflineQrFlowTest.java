package io.doorpair.ipgw.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.access.AccessPolicy;
import io.doorpair.b2b.access.LanPolicy;
import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.B2bFiles;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.conf.PasswdFile;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.FloodGuard;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.localsip.Registrations;
import io.doorpair.b2b.stack.InternalServer;
import io.doorpair.crypto.SipPassword;
import io.doorpair.ipgw.Gateway;
import io.doorpair.ipgw.GatewayConfig;
import io.doorpair.ipgw.RunningGateway;
import io.doorpair.ipgw.admin.AdminPassword;
import io.doorpair.ipgw.cli.IpgwCommand;
import io.doorpair.ipgw.pairing.PairingSettings;
import io.doorpair.ipgw.testing.AdminClient;
import io.doorpair.ipgw.testing.LinphonePhone;
import io.doorpair.ipgw.testing.QrImages;
import io.doorpair.ipgw.testing.TestApp;
import io.doorpair.ipgw.testing.TestIpgw;
import io.doorpair.portal.Portal;
import io.doorpair.portal.PortalConfig;
import io.doorpair.portal.RunningPortal;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.offline.ConfirmationCode;
import io.doorpair.welcome.offline.OfflineAccount;
import io.doorpair.welcome.offline.OfflinePayload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §9 end to end, over HTTP like the owner's browser: the gateway is paired, then the
 * portal's process is stopped (its port refuses connections); the owner creates an offline account
 * on the admin site; the QR code is fetched as the PNG the site serves and decoded with ZXing; a
 * wrong code is refused, the right one activates the account; the QR code is not reusable; real
 * phones (linphone-daemon) register with the decoded accounts on the gateway's embedded internal
 * SIP server with the LAN rules of the files ipgw wrote, the portal still down, and a door station
 * made by {@code ipgw door add} rings the phone with the door-calls right, never the one without;
 * then a portal on the same data and port comes back and the outbox delivers the account and ACL
 * events once, in order.
 */
class OfflineQrFlowTest {
  private static final String PASSWORD = "password1";
  private static final Pattern QR_ID = Pattern.compile("/offline/([0-9a-f]{32})");

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  @Test
  void offline_account_by_qr_code_then_events_reach_the_portal_once_in_order() throws Exception {
    String owner = Actors.newUser(portal, "owner", PASSWORD);
    TestApp ownerApp = TestApp.pair(portal, owner, PASSWORD);
    int sipPort = freeUdpAndTcpPort();
    String internalUri = "sip:127.0.0.1:" + sipPort + ";transport=tcp";
    GatewayConfig base = TestIpgw.config(portal, dir);
    GatewayConfig config =
        new GatewayConfig(
            base.root(),
            base.dataDir(),
            base.portalUrl(),
            base.portalCa(),
            base.admin(),
            base.adminHosts(),
            base.adminTls(),
            new PairingSettings("sips:127.0.0.1:5061", internalUri, 2048, 5),
            base.channelWait(),
            base.initialBackoff(),
            base.maxBackoff());
    AdminPassword.set(config.dataDir(), TestIpgw.ADMIN_PASSWORD.toCharArray(), new SecureRandom());
    GatewayPaths paths = GatewayPaths.under(config.root());
    RunningPortal second = null;
    try (RunningGateway gateway = Gateway.start(config)) {
      AdminClient admin = new AdminClient(gateway.adminUrl());
      assertThat(admin.login(TestIpgw.ADMIN_PASSWORD).statusCode()).isEqualTo(303);
      admin.get("/pairing");
      HttpResponse<String> paired =
          admin.post(
              "/pairing",
              Map.of("username", owner, "password", PASSWORD, "friendly_name", "Location: Loft"));
      assertThat(paired.statusCode()).isEqualTo(303);
      String domain = gateway.core().pairing().orElseThrow().domain();

      // The portal's process goes away: nothing listens on its port any more.
      int apiPort = portal.portal().apiPort();
      portal.portal().close();
      assertThatThrownBy(() -> new Socket("127.0.0.1", apiPort).close())
          .isInstanceOf(ConnectException.class);

      // The owner fills in the form; the account is pending, its QR code on its own page.
      assertThat(admin.get("/offline").body()).contains("New offline account");
      HttpResponse<String> created =
          admin.post(
              "/offline",
              Map.of("name", "grace", "door_calls", "on", "open_door", "on", "external", "on"));
      assertThat(created.statusCode()).isEqualTo(303);
      Matcher m = QR_ID.matcher(AdminClient.location(created).orElseThrow());
      assertThat(m.find()).isTrue();
      String page = "/offline/" + m.group(1);
      HttpResponse<String> shown = admin.get(page);
      assertThat(shown.statusCode()).isEqualTo(200);
      assertThat(shown.body()).contains("<img id=\"qr\" src=\"" + page + "/qr.png\"");

      // Without the admin session there is no QR code.
      AdminClient stranger = new AdminClient(gateway.adminUrl());
      HttpResponse<byte[]> refused = stranger.getBytes(page + "/qr.png");
      assertThat(refused.statusCode()).isEqualTo(303);
      assertThat(refused.headers().firstValue("Content-Type").orElse("")).doesNotContain("image");

      // The app's side: the PNG as served, decoded by ZXing, checked, the code computed.
      HttpResponse<byte[]> png = admin.getBytes(page + "/qr.png");
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
      assertThat(png.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
      String text = QrImages.decode(png.body());
      OfflineAccount account = OfflinePayload.parse(text);
      assertThat(account.domain()).isEqualTo(domain);
      assertThat(account.internalSipUri()).isEqualTo(internalUri);
      assertThat(account.name()).isEqualTo("grace");
      assertThat(account.externalAccess()).isTrue();
      assertThat(account.rights().doorCalls()).isTrue();
      assertThat(account.rights().cameras()).isFalse();
      assertThat(shown.body()).doesNotContain(account.password().reveal());
      String code = ConfirmationCode.of(text);

      // A wrong code is counted; the right one activates.
      String wrong = code.equals("000000") ? "111111" : "000000";
      HttpResponse<String> bad = admin.post(page + "/code", Map.of("code", wrong));
      assertThat(bad.statusCode()).isEqualTo(422);
      assertThat(bad.body()).contains("Wrong code: 4 attempts left.");
      assertThat(passwdUsers(paths)).doesNotContain(account.sipUsername());
      HttpResponse<String> good = admin.post(page + "/code", Map.of("code", code));
      assertThat(good.statusCode()).isEqualTo(303);
      assertThat(admin.get(page).body()).contains("active");
      assertThat(passwdUsers(paths)).contains(account.sipUsername());
      assertThat(AclList.parse(Files.readString(paths.aclList()))).contains("grace");

      // The QR code works once.
      assertThat(admin.post(page + "/code", Map.of("code", code)).statusCode()).isEqualTo(409);
      assertThat(admin.getBytes(page + "/qr.png").statusCode()).isEqualTo(404);

      // A second offline phone, local only, without the door-calls right.
      admin.get("/offline");
      HttpResponse<String> other = admin.post("/offline", Map.of("name", "ivy", "open_door", "on"));
      String otherPage = AdminClient.location(other).orElseThrow();
      admin.get(otherPage);
      String otherText = QrImages.decode(admin.getBytes(otherPage + "/qr.png").body());
      OfflineAccount ivy = OfflinePayload.parse(otherText);
      assertThat(
              admin
                  .post(otherPage + "/code", Map.of("code", ConfirmationCode.of(otherText)))
                  .statusCode())
          .isEqualTo(303);
      assertThat(AclList.parse(Files.readString(paths.aclList()))).doesNotContain("ivy");
      // both are LAN accounts of accounts.list with their rights; ivy's is no portal account
      assertThat(AccountsList.parse(Files.readString(paths.accountsList())))
          .anySatisfy(
              a -> {
                assertThat(a.sipUsername()).isEqualTo(account.sipUsername());
                assertThat(a.lan() && a.portal() && a.doorCalls() && a.openDoor()).isTrue();
              })
          .anySatisfy(
              a -> {
                assertThat(a.sipUsername()).isEqualTo(ivy.sipUsername());
                assertThat(a.lan() && a.openDoor()).isTrue();
                assertThat(a.portal() || a.doorCalls()).isFalse();
              });

      // A door station's account, as the installer makes it: `ipgw door add`.
      SipPassword doorPassword = addDoor(config, "frontdoor");

      // The phones, that never reached the portal, register on the local network at the
      // gateway's embedded internal SIP server, and so does the door station; the door rings
      // grace, never ivy.
      registerAndCall(account, ivy, doorPassword, paths);
      // The events wait in the outbox while the portal is down.
      List<String[]> queued = outbox(config.dataDir());
      assertThat(queued)
          .extracting(e -> e[1])
          .containsExactly("accounts", "acl", "accounts", "topology");
      List<String> ids = queued.stream().map(e -> e[0]).toList();

      // The portal comes back on the same data and port: the outbox delivers them once, in order.
      second = Portal.start(sameAs(apiPort), Clock.systemUTC(), new SecureRandom());
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!outbox(config.dataDir()).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(outbox(config.dataDir())).isEmpty();
      List<DeliveredEvent> delivered = delivered(ownerApp, domain);
      assertThat(delivered).extracting(DeliveredEvent::id).containsExactlyElementsOf(ids);
      assertThat(delivered.get(0).payload())
          .contains("created_offline", "grace", account.sipUsername())
          .doesNotContain(account.password().reveal());
    } finally {
      if (second != null) {
        second.close();
      }
    }
  }

  /** {@code ipgw door add NAME} in-process on the running gateway's files: its password. */
  private static SipPassword addDoor(GatewayConfig config, String name) {
    StringWriter out = new StringWriter();
    int exit =
        IpgwCommand.run(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            "door",
            "add",
            name,
            "--root=" + config.root(),
            "--data=" + config.dataDir());
    assertThat(exit).as(out.toString()).isZero();
    Matcher m = Pattern.compile("password \\(shown once\\): (\\S+)").matcher(out.toString());
    assertThat(m.find()).isTrue();
    return SipPassword.of(m.group(1));
  }

  private static void registerAndCall(
      OfflineAccount phone, OfflineAccount ivy, SipPassword doorPassword, GatewayPaths paths)
      throws Exception {
    // the embedded server with the LAN rules of the files ipgw wrote, as the b2b runs it
    B2bConf conf = B2bConf.parse(Files.readString(paths.b2bConf()));
    B2bFiles.Access access = B2bFiles.loadAccess(paths, conf);
    LanPolicy lan =
        AccessPolicy.of(conf.domain(), access, Clock.systemUTC(), new SecureRandom()).lan();
    try (InternalServer server =
            InternalServer.start(
                InternalTarget.parse(phone.internalSipUri()),
                new DigestGate(
                    phone.domain(), access.accounts(), Clock.systemUTC(), new SecureRandom()),
                new Registrations(Clock.systemUTC()),
                new FloodGuard(),
                () -> lan);
        LinphonePhone grace = start(phone);
        LinphonePhone other = start(ivy);
        LinphonePhone frontDoor =
            LinphonePhone.start(
                "frontdoor", phone.domain(), doorPassword.reveal(), phone.internalSipUri())) {
      assertThat(grace.awaitRegistrationOutcome())
          .as(grace.logTail())
          .isEqualTo("LinphoneRegistrationOk");
      assertThat(other.awaitRegistrationOutcome())
          .as(other.logTail())
          .isEqualTo("LinphoneRegistrationOk");
      assertThat(frontDoor.awaitRegistrationOutcome())
          .as(frontDoor.logTail())
          .isEqualTo("LinphoneRegistrationOk");
      assertThat(server.registrations().of(phone.sipUsername())).isPresent();
      assertThat(server.registrations().of(ivy.sipUsername())).isPresent();
      assertThat(server.registrations().of("frontdoor")).isPresent();
      // ivy has no door-calls right: the door's call is refused and her phone does not ring
      long refused = server.refusedOnLan();
      int toIvy = frontDoor.call("sip:" + ivy.sipUsername() + "@" + ivy.domain());
      frontDoor.awaitEnded(toIvy);
      assertThat(server.refusedOnLan()).isGreaterThan(refused);
      assertThat(other.hadIncomingCall()).isFalse();
      // The door station calls grace through the internal proxy: answered, then hung up.
      int call = frontDoor.call("sip:" + phone.sipUsername() + "@" + phone.domain());
      int incoming = grace.awaitIncomingCall();
      grace.answer(incoming);
      frontDoor.awaitEstablished(call);
      grace.awaitEstablished(incoming);
      frontDoor.terminate(call);
      grace.awaitEnded(incoming);
    }
  }

  private static LinphonePhone start(OfflineAccount a) throws IOException {
    return LinphonePhone.start(
        a.sipUsername(), a.domain(), a.password().reveal(), a.internalSipUri());
  }

  private static PortalConfig sameAs(int apiPort) {
    Path data = portal.dataDir();
    return new PortalConfig(
        data,
        new InetSocketAddress("127.0.0.1", apiPort),
        new InetSocketAddress("127.0.0.1", 0),
        PortalConfig.DEFAULT_DOMAIN,
        PortalConfig.sqliteUrl(data),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        PortalConfig.DEFAULT_REALM,
        PortalExtension.TEST_CA);
  }

  /** The outbox rows (id, kind), oldest first, read beside the running gateway. */
  private static List<String[]> outbox(Path data) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ipgw.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT event_id, kind FROM outbox ORDER BY seq")) {
      List<String[]> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new String[] {rs.getString(1), rs.getString(2)});
      }
      return out;
    }
  }

  private static List<DeliveredEvent> delivered(TestApp app, String domain) {
    List<DeliveredEvent> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    while (true) {
      EventPage page = app.client().events(cursor, Optional.empty(), 500);
      for (DeliveredEvent e : page.events()) {
        if (e.domain().equals(domain)) {
          all.add(e);
        }
      }
      if (page.events().isEmpty()) {
        return all;
      }
      cursor = Optional.of(page.cursor());
    }
  }

  private static List<String> passwdUsers(GatewayPaths paths) throws IOException {
    return PasswdFile.parse(Files.readString(paths.passwdFile())).stream()
        .map(PasswdEntry::user)
        .toList();
  }

  private static int freeUdpAndTcpPort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        DatagramSocket udp;
        try {
          udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
          continue; // taken for UDP: try another
        }
        udp.close();
        return port;
      }
    }
    throw new IOException("no port free for both UDP and TCP");
  }
}
