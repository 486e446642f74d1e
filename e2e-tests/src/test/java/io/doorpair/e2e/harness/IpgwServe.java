package io.doorpair.e2e.harness;

import io.doorpair.crypto.SipPassword;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/ipgw serve} as its own process, running the b2b as its supervised child, with the
 * owner's admin site driven over HTTP ({@link AdminSession}): login with the password ipgw prints
 * once, pairing, approving an app's request and typing its security code; door stations added with
 * {@code bin/ipgw door add} (register them with {@link LinphoneDoor} at {@link #internalSip()}).
 */
public final class IpgwServe implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Pattern ADMIN_PASSWORD =
      Pattern.compile("admin password generated: read it in (\\S+) \\(mode 0600");
  private static final Pattern DOOR_PASSWORD =
      Pattern.compile("door [a-z0-9._-]+@[a-z0-9]+ password \\(shown once\\): (\\S+)");
  private static final Pattern REQUEST = Pattern.compile("href=\"/requests/([0-9]+)\"");

  private final Path dir;
  private final ActorProcess process;
  private final AdminSession owner;
  private final int internalPort;
  private String domain;

  private IpgwServe(Path dir, ActorProcess process, AdminSession owner, int internalPort) {
    this.dir = dir;
    this.process = process;
    this.owner = owner;
    this.internalPort = internalPort;
  }

  /**
   * Starts {@code ipgw serve} in {@code dir} (root {@code dir/root}, data {@code dir/data}) and
   * logs the owner in on its admin site.
   *
   * @param dir the gateway's folder
   * @param portalApi the portal's API URL
   * @param portalCa the portal CA file
   * @param portalSipPort the portal SIP server's TLS port on loopback (its certificate names {@code
   *     localhost})
   * @return the running gateway
   */
  public static IpgwServe start(Path dir, String portalApi, Path portalCa, int portalSipPort)
      throws IOException, InterruptedException {
    int internalPort = FreePorts.udpAndTcp();
    ActorProcess process =
        ActorProcess.start(
            "ipgw",
            dir,
            Map.of(),
            "ipgw",
            "serve",
            "--root=" + dir.resolve("root"),
            "--data=" + dir.resolve("data"),
            "--portal=" + portalApi,
            "--portal-ca=" + portalCa,
            // the portal's certificate carries localhost (Linphone and the b2b check the name)
            "--portal-sip=sips:localhost:" + portalSipPort,
            "--internal-sip=sip:127.0.0.1:" + internalPort,
            "--admin=127.0.0.1:0",
            "--key-bits=2048");
    try {
      String site =
          process.awaitReady(dir.resolve("data/ready.json"), START).json().get("admin").asText();
      AdminSession owner = new AdminSession(site);
      owner.get("/login");
      String password =
          Files.readString(
                  java.nio.file.Path.of(
                      find(ADMIN_PASSWORD, Files.readString(dir.resolve("ipgw.log")))))
              .strip();
      HttpResponse<String> login = owner.post("/login", Map.of("password", password));
      if (login.statusCode() != 303) {
        throw new AssertionError("admin login answered " + login.statusCode());
      }
      return new IpgwServe(dir, process, owner, internalPort);
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      process.close();
      throw e;
    }
  }

  /**
   * The owner pairs the gateway on the admin site.
   *
   * @param user the owner's portal username
   * @param password the owner's portal password
   * @return the gateway DOMAIN
   */
  public String pair(String user, String password) {
    owner.get("/pairing");
    HttpResponse<String> paired =
        owner.post(
            "/pairing",
            Map.of("username", user, "password", password, "friendly_name", "Location: Porch"));
    if (paired.statusCode() != 303) {
      throw new AssertionError("pairing answered " + paired.statusCode() + ": " + paired.body());
    }
    domain = find(Pattern.compile("id=\"domain\">([a-z0-9]{12})<"), owner.get("/pairing").body());
    return domain;
  }

  /**
   * {@code bin/ipgw door add NAME}: the door station's account on the internal SIP server.
   *
   * @param name the door's SIP username
   * @return the password ipgw printed once
   */
  public SipPassword addDoor(String name) throws IOException, InterruptedException {
    ActorProcess.Result added =
        ActorProcess.run(
            dir,
            "",
            DEADLINE,
            "ipgw",
            "door",
            "add",
            name,
            "--root=" + dir.resolve("root"),
            "--data=" + dir.resolve("data"));
    if (added.exit() != 0) {
      throw new AssertionError("ipgw door add exited " + added.exit() + "\n" + added.output());
    }
    return SipPassword.of(find(DOOR_PASSWORD, added.output()));
  }

  /**
   * Waits until a request of the device named {@code deviceName} is on the admin site, and the
   * owner approves it with {@code rights}. One request at a time: the first one listed is taken.
   *
   * @param deviceName the friendly name the app paired with
   * @param rights the form's rights, e.g. {@code door_calls=on, open_door=on}
   * @return the request id
   */
  public String approve(String deviceName, Map<String, String> rights) throws InterruptedException {
    String escaped = deviceName.replace("'", "&#39;");
    awaitTrue(
        () -> owner.get("/requests").body().contains(escaped), deviceName + " on the admin site");
    String id = find(REQUEST, owner.get("/requests").body());
    owner.get("/requests/" + id);
    int status = owner.post("/requests/" + id + "/approve", rights).statusCode();
    if (status != 303) {
      throw new AssertionError("approving request " + id + " answered " + status);
    }
    return id;
  }

  /**
   * The owner types the security code the app shows.
   *
   * @param requestId the request
   * @param code the 8 characters
   * @return the page the site redirects to after the code
   */
  public String enterCode(String requestId, String code) {
    owner.get("/requests/" + requestId);
    HttpResponse<String> entered =
        owner.post("/requests/" + requestId + "/code", Map.of("code", code));
    if (entered.statusCode() != 303) {
      throw new AssertionError("the code answered " + entered.statusCode());
    }
    return entered.headers().firstValue("Location").orElse("");
  }

  /** Waits until the supervised b2b has registered {@code ipgw@DOMAIN} at the portal. */
  public void awaitB2bRegistered() throws InterruptedException {
    awaitTrue(
        () -> b2bLog().contains("registered ipgw@" + domain),
        "the supervised b2b registered at the portal");
  }

  /** The b2b's log so far (empty before it starts). */
  public String b2bLog() {
    return read(dir.resolve("data/b2b.log"));
  }

  /** ipgw's own log so far. */
  public String log() {
    return read(dir.resolve("ipgw.log"));
  }

  /** The internal SIP server's address (UDP and TCP). */
  public InetSocketAddress internalSip() {
    return new InetSocketAddress("127.0.0.1", internalPort);
  }

  /** The ends of ipgw's and the b2b's logs, for failure messages. */
  public String tail() {
    String b2b = b2bLog();
    return process.tail() + "\n--- b2b.log ---\n" + b2b.substring(Math.max(0, b2b.length() - 6000));
  }

  @Override
  public void close() {
    process.close();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new AssertionError(p + " not found in:\n" + text);
    }
    return m.group(1);
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + ": not after " + DEADLINE);
      }
      Thread.sleep(200);
    }
  }
}
