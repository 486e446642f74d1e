package io.doorpair.b2b.testing;

import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Linphone device on the gateway's local network (a door station, an offline phone): a real
 * {@code linphone-daemon} with one digest account ({@code user@DOMAIN}, its password) registering
 * over UDP at the embedded internal SIP server, driven by portal-sip-edge's {@link LinphoneDaemon}
 * (which skips the test without {@code linphone-cli}, fails it when {@code CI=true}). Its
 * linphonerc goes into a folder the test owns (a {@code @TempDir}).
 */
public final class LanPhone {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private LanPhone() {}

  /**
   * Starts a daemon registering {@code user@domain} at {@code server} over UDP.
   *
   * @param folder where its linphonerc goes (a fresh temporary folder of the test)
   * @param user the SIP username
   * @param domain the gateway DOMAIN (also the digest realm)
   * @param password the account's password (written to the 0600 linphonerc only)
   * @param server the internal server's UDP address
   * @return the running daemon
   */
  public static LinphoneDaemon start(
      Path folder, String user, String domain, SipPassword password, InetSocketAddress server)
      throws IOException {
    return start(folder, user, domain, password, server, false, List.of(), Optional.empty());
  }

  /**
   * As {@link #start(Path, String, String, SipPassword, InetSocketAddress)}, sending DTMF as SIP
   * INFO ({@code application/dtmf-relay}) when asked, RFC 4733 {@code telephone-event} otherwise.
   */
  public static LinphoneDaemon start(
      Path folder,
      String user,
      String domain,
      SipPassword password,
      InetSocketAddress server,
      boolean dtmfByInfo)
      throws IOException {
    return start(folder, user, domain, password, server, dtmfByInfo, List.of(), Optional.empty());
  }

  /**
   * As {@link #start(Path, String, String, SipPassword, InetSocketAddress)}, the daemon run behind
   * {@code launcher} (e.g. {@code ip netns exec NAME}, a host of its own) and its SIP socket bound
   * to {@code local} when given (the device's own address on the gateway's LAN).
   */
  public static LinphoneDaemon start(
      Path folder,
      String user,
      String domain,
      SipPassword password,
      InetSocketAddress server,
      List<String> launcher,
      Optional<String> local)
      throws IOException {
    return start(folder, user, domain, password, server, false, launcher, local);
  }

  /**
   * Starts a daemon registering {@code user@domain} at {@code server} over UDP.
   *
   * @param folder where its linphonerc goes (a fresh temporary folder of the test)
   * @param user the SIP username
   * @param domain the gateway DOMAIN (also the digest realm)
   * @param password the account's password (written to the 0600 linphonerc only)
   * @param server the internal server's UDP address
   * @param dtmfByInfo DTMF as SIP INFO
   * @param launcher the command prefix, or none
   * @param local the IPv4 address to bind, or empty for any
   * @return the running daemon
   */
  public static LinphoneDaemon start(
      Path folder,
      String user,
      String domain,
      SipPassword password,
      InetSocketAddress server,
      boolean dtmfByInfo,
      List<String> launcher,
      Optional<String> local)
      throws IOException {
    if (local.isPresent() && !IPV4.matcher(local.get()).matches()) {
      throw new IllegalArgumentException("an IPv4 address: " + local.get());
    }
    String secret = password.reveal();
    if (!TOKEN.matcher(user).matches()
        || !TOKEN.matcher(domain).matches()
        || !TOKEN.matcher(secret).matches()) {
      throw new IllegalArgumentException("plain tokens only: they go into a config file");
    }
    String proxy = "sip:" + server.getHostString() + ":" + server.getPort();
    String rc =
        String.join(
            "\n",
            "[sip]",
            "sip_port=-1",
            "sip_tcp_port=0",
            "sip_tls_port=0",
            "default_proxy=0",
            "register_only_when_network_is_up=0",
            "ping_with_options=0",
            "use_ipv6=0",
            "guess_hostname=1",
            dtmfByInfo ? "use_info=1" : "use_info=0",
            dtmfByInfo ? "use_rfc2833=0" : "use_rfc2833=1",
            local.map(a -> "bind_address=" + a).orElse(""),
            "",
            "[auth_info_0]",
            "username=" + user,
            "userid=" + user,
            "passwd=" + secret,
            "realm=" + domain,
            "domain=" + domain,
            "",
            "[proxy_0]",
            "reg_proxy=<" + proxy + ";transport=udp>",
            "reg_route=<" + proxy + ";transport=udp;lr>",
            "reg_identity=<sip:" + user + "@" + domain + ">",
            "reg_expires=600",
            "reg_sendregister=1",
            "publish=0",
            "dial_escape_plus=0",
            "quality_reporting_enabled=0",
            "avpf=0",
            "",
            "[misc]",
            "uuid=0",
            "version_check_url_root=",
            "history_max_size=0",
            "",
            "[net]",
            "firewall_policy=0",
            "enable_ipv6=0",
            "",
            "[rtp]",
            "audio_rtp_port=-1",
            "video_enabled=0",
            "",
            "[sound]",
            "echocancellation=0",
            "",
            "[video]",
            "capture=0",
            "display=0",
            "automatically_accept=0",
            "automatically_initiate=0",
            "");
    Path file = folder.resolve("linphonerc-" + user);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, rc, StandardCharsets.UTF_8);
    return LinphoneDaemon.startWith(describe(user, domain, server), file, launcher);
  }

  /**
   * The {@link LinphoneConfig} {@link LinphoneDaemon} names the device by: user, domain and server
   * are this device's; the key and certificate are a throw-away leaf that the digest linphonerc
   * never names (LinphoneConfig is made for TLS devices and requires them).
   */
  private static LinphoneConfig describe(String user, String domain, InetSocketAddress server) {
    TestPki pki = TestPki.shared();
    Leaf unused = pki.issueClient(user + "@" + domain, Optional.empty());
    return new LinphoneConfig(
        user,
        domain,
        Optional.empty(),
        unused.keys().getPrivate(),
        List.of(unused.certificate()),
        pki.caCertificate(),
        server,
        true);
  }
}
