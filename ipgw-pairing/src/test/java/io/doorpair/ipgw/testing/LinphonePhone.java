package io.doorpair.ipgw.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A phone on the gateway's local network: {@code linphone-daemon} (package {@code linphone-cli},
 * the SIP stack of the real Welcome app) with one account that registers with digest over UDP or
 * TCP, as an offline QR code configures it. Skipped with its reason when linphone-daemon is
 * missing, failed instead when {@code CI=true}.
 */
public final class LinphonePhone implements AutoCloseable {
  /** How long the phone may take to register. */
  public static final Duration DEADLINE = Duration.ofSeconds(60);

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern PROXY =
      Pattern.compile("sip:[A-Za-z0-9.:\\[\\]-]+(;transport=(udp|tcp))?");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path home;
  private final Process process;
  private final SocketChannel channel;
  private final Selector selector;

  private LinphonePhone(Path home, Process process, SocketChannel channel, Selector selector) {
    this.home = home;
    this.process = process;
    this.channel = channel;
    this.selector = selector;
  }

  /**
   * Starts a phone registering {@code user@domain} at {@code proxy} with digest.
   *
   * @param user the SIP username
   * @param domain the SIP domain (and digest realm)
   * @param password the SIP password (written to a 0600 file in the phone's own HOME)
   * @param proxy the registrar, {@code sip:HOST:PORT;transport=tcp|udp}
   */
  public static LinphonePhone start(String user, String domain, String password, String proxy)
      throws IOException {
    Path program = require();
    if (!TOKEN.matcher(user).matches()
        || !TOKEN.matcher(domain).matches()
        || !TOKEN.matcher(password).matches()
        || !PROXY.matcher(proxy).matches()) {
      throw new IllegalArgumentException("plain tokens and a plain SIP URI only");
    }
    Path home = Files.createTempDirectory("ipgw-linphone-");
    Files.createDirectories(home.resolve(".local/share/linphone"));
    String transportless = proxy.replaceAll(";transport=.*", "");
    String transport = proxy.contains(";transport=tcp") ? "tcp" : "udp";
    String rc =
        String.join(
            "\n",
            "[sip]",
            // -1: a random port, 0: transport off
            "sip_port=" + ("udp".equals(transport) ? "-1" : "0"),
            "sip_tcp_port=" + ("tcp".equals(transport) ? "-1" : "0"),
            "sip_tls_port=0",
            "default_proxy=0",
            "register_only_when_network_is_up=0",
            "ping_with_options=0",
            "use_ipv6=0",
            "guess_hostname=1",
            "",
            "[auth_info_0]",
            "username=" + user,
            "userid=" + user,
            "passwd=" + password,
            "realm=" + domain,
            "domain=" + domain,
            "",
            "[proxy_0]",
            "reg_proxy=<" + transportless + ";transport=" + transport + ">",
            "reg_route=<" + transportless + ";transport=" + transport + ";lr>",
            "reg_identity=<sip:" + user + "@" + domain + ">",
            "reg_expires=600",
            "reg_sendregister=1",
            "publish=0",
            "quality_reporting_enabled=0",
            "avpf=0",
            "",
            "[misc]",
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
            "[video]",
            "capture=0",
            "display=0",
            "");
    Path config = home.resolve("linphonerc");
    Files.writeString(config, rc);
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    byte[] r = new byte[8];
    RANDOM.nextBytes(r);
    String pipe = "ipgw-linphone-" + HexFormat.of().formatHex(r);
    ProcessBuilder builder =
        new ProcessBuilder(
                program.toString(),
                "--config",
                config.toString(),
                "--pipe",
                pipe,
                "--log",
                home.resolve("daemon.log").toString(),
                "--disable-stats-events")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("stdout.log").toFile());
    builder.environment().put("HOME", home.toString());
    Process process = builder.start();
    Path socket = Path.of("/tmp", pipe);
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < end && process.isAlive()) {
      if (Files.exists(socket)) {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          channel.connect(UnixDomainSocketAddress.of(socket));
          channel.configureBlocking(false);
          Selector selector = Selector.open();
          channel.register(selector, SelectionKey.OP_READ);
          return new LinphonePhone(home, process, channel, selector);
        } catch (IOException e) {
          channel.close();
        }
      }
      pause(50);
    }
    process.destroyForcibly();
    throw new IOException("linphone-daemon did not open its socket\n" + tail(home));
  }

  /**
   * Waits until the registration is ok or failed, and returns that state.
   *
   * @return {@code LinphoneRegistrationOk} or {@code LinphoneRegistrationFailed}
   */
  public String awaitRegistrationOutcome() throws IOException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    String state = "none";
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new AssertionError("linphone-daemon exited\n" + tail(home));
      }
      state = stateOf(command("register-status ALL"));
      if (state.equals("LinphoneRegistrationOk") || state.equals("LinphoneRegistrationFailed")) {
        return state;
      }
      pause(100);
    }
    throw new AssertionError("no registration outcome (last: " + state + ")\n" + tail(home));
  }

  /**
   * Places a call.
   *
   * @param uri {@code sip:user@domain}
   * @return the daemon's call id
   */
  public int call(String uri) throws IOException {
    if (!uri.matches("sip:[A-Za-z0-9._@-]+")) {
      throw new IllegalArgumentException("a plain SIP URI: " + uri);
    }
    String reply = command("call " + uri);
    for (String row : reply.split("\n")) {
      if (row.startsWith("Id: ")) {
        return Integer.parseInt(row.substring(4).strip());
      }
    }
    throw new AssertionError("call " + uri + " failed: " + reply.strip() + "\n" + tail(home));
  }

  /**
   * Waits for an incoming call.
   *
   * @return its call id
   */
  public int awaitIncomingCall() throws IOException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < end) {
      String reply = command("pop-event");
      if (reply.contains("Event: LinphoneCallIncomingReceived")) {
        for (String row : reply.split("\n")) {
          if (row.startsWith("Id: ")) {
            return Integer.parseInt(row.substring(4).strip());
          }
        }
      }
      if (!reply.contains("Event-type:")) {
        pause(100);
      }
    }
    throw new AssertionError("no incoming call\n" + tail(home));
  }

  /**
   * Answers a call.
   *
   * @param callId the daemon's call id
   */
  public void answer(int callId) throws IOException {
    String reply = command("answer " + callId);
    if (!reply.startsWith("Status: Ok")) {
      throw new AssertionError("answer failed: " + reply.strip());
    }
  }

  /**
   * Hangs up a call.
   *
   * @param callId the daemon's call id
   */
  public void terminate(int callId) throws IOException {
    command("terminate " + callId);
  }

  /**
   * Waits until a call is established (connected or streams running).
   *
   * @param callId the daemon's call id
   */
  public void awaitEstablished(int callId) throws IOException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    String state = "none";
    while (System.nanoTime() < end) {
      state = stateOf(command("call-status " + callId));
      if (state.equals("LinphoneCallConnected") || state.equals("LinphoneCallStreamsRunning")) {
        return;
      }
      pause(100);
    }
    throw new AssertionError(
        "call " + callId + " not established (last: " + state + ")\n" + tail(home));
  }

  /**
   * Waits until a call has ended (the other side's BYE): the daemon reports it ended or no longer
   * knows it.
   *
   * @param callId the daemon's call id
   */
  public void awaitEnded(int callId) throws IOException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    String reply = "";
    while (System.nanoTime() < end) {
      reply = command("call-status " + callId);
      String state = stateOf(reply);
      if (!reply.startsWith("Status: Ok")
          || state.equals("LinphoneCallEnd")
          || state.equals("LinphoneCallReleased")) {
        return;
      }
      pause(100);
    }
    throw new AssertionError(
        "call " + callId + " not ended (last: " + reply.strip() + ")\n" + tail(home));
  }

  /**
   * Whether an incoming call arrived so far (pops the events queued until now).
   *
   * @return true when one was reported
   */
  public boolean hadIncomingCall() throws IOException {
    boolean seen = false;
    for (int i = 0; i < 10_000; i++) {
      String reply = command("pop-event");
      if (!reply.contains("Event-type:")) {
        return seen;
      }
      seen |= reply.contains("Event: LinphoneCallIncomingReceived");
    }
    return seen;
  }

  /** The last lines of the daemon's log. */
  public String logTail() {
    return tail(home);
  }

  private static String stateOf(String reply) {
    for (String row : reply.split("\n")) {
      if (row.startsWith("State: ")) {
        return row.substring("State: ".length()).strip();
      }
    }
    return "none";
  }

  private String command(String line) throws IOException {
    ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      channel.write(out);
    }
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < end) {
      selector.selectedKeys().clear();
      long wait = reply.size() > 0 ? 200 : 1000;
      if (selector.select(wait) == 0) {
        if (reply.size() > 0) {
          return reply.toString(StandardCharsets.UTF_8);
        }
        continue;
      }
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        break;
      }
      reply.write(buffer.array(), 0, n);
      if (reply.toString(StandardCharsets.UTF_8).endsWith("\n\n")) {
        break;
      }
    }
    return reply.toString(StandardCharsets.UTF_8);
  }

  private static Path require() {
    for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "linphone-daemon");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String why = "linphone-daemon is not installed (Debian package linphone-cli)";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(why);
    }
    Assumptions.abort(why);
    throw new IllegalStateException(why);
  }

  private static String tail(Path home) {
    try {
      Path log = home.resolve("daemon.log");
      if (!Files.exists(log)) {
        return "(no log)";
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        command("quit");
      }
    } catch (IOException | RuntimeException e) {
      // stopped below anyway
    }
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      channel.close();
      selector.close();
    } catch (IOException e) {
      // nothing more to do
    }
    try (var files = Files.walk(home)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind
    }
  }
}
