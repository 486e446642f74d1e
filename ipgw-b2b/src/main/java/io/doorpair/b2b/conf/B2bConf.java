package io.doorpair.b2b.conf;

import io.doorpair.crypto.SipPassword;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code b2b.conf} (the specification's annex 1): an INI file like Flexisip's own configuration,
 * one section {@code [b2b]} with the portal SIP URI, the internal SIP URI, the b2b password, the
 * gateway DOMAIN and the two call timers.
 *
 * <pre>
 * # b2b.conf written by ipgw at pairing; pairing again rewrites it
 * [b2b]
 * domain=k3x9abcd1234
 * portal-sip-uri=sips:portal.example.com:5061
 * internal-sip-uri=sip:127.0.0.1:5070;transport=tcp
 * password=Gq3...
 * ring-timeout=45
 * max-call-duration=1800
 * # management=127.0.0.1:9467
 * </pre>
 *
 * <p>Parsing accepts comments ({@code #} or {@code ;} first), empty lines, {@code key=value} with
 * spaces around {@code =}, and refuses unknown sections or keys, a key given twice and a missing
 * key, naming the line. The two timers are optional (a file written before they existed gets the
 * defaults) and are whole seconds: {@code ring-timeout} 1 to 120 (a door call nobody answers ends
 * then; jain-sip gives up an early dialog after 180 s anyway), {@code max-call-duration} 1 to 86400
 * (an answered call is hung up then). {@code management} is optional too and off by default: the
 * {@code host:port} ({@code [v6]:port}; port 0 for a free one) of a plain-HTTP listener serving
 * {@code GET /metrics} and {@code GET /health} without authentication (loopback suggested).
 *
 * @param domain the gateway DOMAIN
 * @param portalSipUri the portal SIP server, e.g. {@code sips:portal.example.com:5061}
 * @param internalSipUri the internal SIP server, e.g. {@code sip:127.0.0.1:5070;transport=tcp}
 * @param password the b2b's password at the internal SIP server (user {@code ipgw@DOMAIN})
 * @param ringTimeout how long a call rings before it ends unanswered ({@code ring-timeout})
 * @param maxCallDuration how long an answered call may last ({@code max-call-duration})
 * @param management where the management listener listens ({@code management}), if anywhere
 */
public record B2bConf(
    String domain,
    String portalSipUri,
    String internalSipUri,
    SipPassword password,
    Duration ringTimeout,
    Duration maxCallDuration,
    Optional<String> management) {
  /** The longest file read. */
  public static final int MAX_CHARS = 64 * 1024;

  /** {@code ring-timeout} when the file has none: 45 s. */
  public static final Duration DEFAULT_RING_TIMEOUT = Duration.ofSeconds(45);

  /** {@code max-call-duration} when the file has none: 30 min. */
  public static final Duration DEFAULT_MAX_CALL_DURATION = Duration.ofMinutes(30);

  /** The longest {@code ring-timeout}, in seconds. */
  public static final int MAX_RING_SECONDS = 120;

  /** The longest {@code max-call-duration}, in seconds (a day). */
  public static final int MAX_CALL_SECONDS = 86_400;

  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,6}");
  private static final String RING_TIMEOUT = "ring-timeout";
  private static final String MAX_CALL_DURATION = "max-call-duration";
  private static final String MANAGEMENT = "management";
  private static final Pattern HOST_PORT =
      Pattern.compile("(?:\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9.-]{1,253}):([0-9]{1,5})");

  private static final Pattern SIP_URI = Pattern.compile("sips?:[!-~]{1,250}");
  private static final String SECTION = "[b2b]";

  /**
   * The file with the default timers.
   *
   * @param domain the gateway DOMAIN
   * @param portalSipUri the portal SIP server
   * @param internalSipUri the internal SIP server
   * @param password the b2b's password
   */
  public B2bConf(String domain, String portalSipUri, String internalSipUri, SipPassword password) {
    this(
        domain,
        portalSipUri,
        internalSipUri,
        password,
        DEFAULT_RING_TIMEOUT,
        DEFAULT_MAX_CALL_DURATION,
        Optional.empty());
  }

  /**
   * The file with these timers and no management listener.
   *
   * @param domain the gateway DOMAIN
   * @param portalSipUri the portal SIP server
   * @param internalSipUri the internal SIP server
   * @param password the b2b's password
   * @param ringTimeout the ring timeout
   * @param maxCallDuration the maximum call duration
   */
  public B2bConf(
      String domain,
      String portalSipUri,
      String internalSipUri,
      SipPassword password,
      Duration ringTimeout,
      Duration maxCallDuration) {
    this(
        domain,
        portalSipUri,
        internalSipUri,
        password,
        ringTimeout,
        maxCallDuration,
        Optional.empty());
  }

  /**
   * These settings with another management listener (the owner's, kept when ipgw rewrites).
   *
   * @param address {@code host:port}, or empty for none
   * @return the settings
   * @throws FileFormatException when the address is not {@code host:port}
   */
  public B2bConf withManagement(Optional<String> address) {
    return new B2bConf(
        domain, portalSipUri, internalSipUri, password, ringTimeout, maxCallDuration, address);
  }

  /**
   * These settings with other timers.
   *
   * @param ring the ring timeout
   * @param maxCall the maximum call duration
   * @return the settings
   * @throws FileFormatException when a timer is out of range or not whole seconds
   */
  public B2bConf withTimers(Duration ring, Duration maxCall) {
    return new B2bConf(domain, portalSipUri, internalSipUri, password, ring, maxCall, management);
  }

  /**
   * Checks the fields.
   *
   * @throws FileFormatException when a field would break the file
   */
  public B2bConf {
    AccountNames.gatewayDomain(domain);
    requireUri(portalSipUri, "portal-sip-uri");
    requireUri(internalSipUri, "internal-sip-uri");
    Objects.requireNonNull(password, "password");
    if (!PasswdFile.isClearTextPassword(password.reveal())) {
      throw new FileFormatException(
          "password must be printable ASCII without spaces, '/', '=', '@' or ';'");
    }
    requireSeconds(ringTimeout, RING_TIMEOUT, MAX_RING_SECONDS);
    requireSeconds(maxCallDuration, MAX_CALL_DURATION, MAX_CALL_SECONDS);
    Objects.requireNonNull(management, "management");
    if (management.isPresent() && !isHostPort(management.get())) {
      throw new FileFormatException(managementMessage());
    }
  }

  private static boolean isHostPort(String text) {
    java.util.regex.Matcher m = HOST_PORT.matcher(text);
    return m.matches() && Integer.parseInt(m.group(1)) <= 65535;
  }

  private static String managementMessage() {
    return MANAGEMENT + " must be host:port ([v6]:port), port 0 to 65535";
  }

  private static void requireSeconds(Duration value, String key, int max) {
    if (value == null
        || value.toNanos() % 1_000_000_000L != 0
        || value.getSeconds() < 1
        || value.getSeconds() > max) {
      throw new FileFormatException(rangeMessage(key, max));
    }
  }

  private static String rangeMessage(String key, int max) {
    return key + " must be whole seconds from 1 to " + max;
  }

  /** A timer's value: digits only (no sign, no unit), within 1 to {@code max}. */
  private static Duration seconds(String value, String key, int max, int line) {
    if (!SECONDS.matcher(value).matches()
        || Integer.parseInt(value) < 1
        || Integer.parseInt(value) > max) {
      throw new FileFormatException("line " + line + ": " + rangeMessage(key, max));
    }
    return Duration.ofSeconds(Integer.parseInt(value));
  }

  private static void requireUri(String uri, String key) {
    if (uri == null || !SIP_URI.matcher(uri).matches() || uri.contains("#")) {
      throw new FileFormatException(
          key + " must be a sip: or sips: URI of printable ASCII without spaces or '#'");
    }
  }

  /**
   * The file's text.
   *
   * @return the INI text, ending with a newline
   */
  public String render() {
    return "# b2b.conf written by ipgw at pairing; pairing again rewrites it\n"
        + SECTION
        + "\n"
        + "domain="
        + domain
        + "\nportal-sip-uri="
        + portalSipUri
        + "\ninternal-sip-uri="
        + internalSipUri
        + "\npassword="
        + password.reveal()
        + "\n"
        + RING_TIMEOUT
        + "="
        + ringTimeout.getSeconds()
        + "\n"
        + MAX_CALL_DURATION
        + "="
        + maxCallDuration.getSeconds()
        + "\n"
        + management.map(m -> MANAGEMENT + "=" + m + "\n").orElse("");
  }

  /**
   * Parses the file.
   *
   * @param text the whole file
   * @return the settings
   * @throws FileFormatException naming the bad line, or the missing key
   */
  public static B2bConf parse(String text) {
    if (text.length() > MAX_CHARS) {
      throw new FileFormatException("b2b.conf longer than " + MAX_CHARS + " characters");
    }
    Map<String, String> values = new HashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    boolean inSection = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.equals(SECTION) || inSection) {
          throw new FileFormatException("line " + number + ": only one section [b2b] is known");
        }
        inSection = true;
        continue;
      }
      int equals = line.indexOf('=');
      if (!inSection || equals < 0) {
        throw new FileFormatException("line " + number + ": expected key=value in [b2b]");
      }
      String key = line.substring(0, equals).strip();
      String value = line.substring(equals + 1).strip();
      if (!key.equals("domain")
          && !key.equals("portal-sip-uri")
          && !key.equals("internal-sip-uri")
          && !key.equals("password")
          && !key.equals(RING_TIMEOUT)
          && !key.equals(MAX_CALL_DURATION)
          && !key.equals(MANAGEMENT)) {
        throw new FileFormatException("line " + number + ": unknown key");
      }
      if (values.put(key, value) != null) {
        throw new FileFormatException("line " + number + ": " + key + " given twice");
      }
      lineOf.put(key, number);
    }
    for (String key : new String[] {"domain", "portal-sip-uri", "internal-sip-uri", "password"}) {
      if (!values.containsKey(key)) {
        throw new FileFormatException("missing " + key);
      }
    }
    String password = values.get("password");
    if (!PasswdFile.isClearTextPassword(password)) {
      throw new FileFormatException(
          "password must be printable ASCII without spaces, '/', '=', '@' or ';'");
    }
    Duration ring =
        values.containsKey(RING_TIMEOUT)
            ? seconds(
                values.get(RING_TIMEOUT), RING_TIMEOUT, MAX_RING_SECONDS, lineOf.get(RING_TIMEOUT))
            : DEFAULT_RING_TIMEOUT;
    Duration maxCall =
        values.containsKey(MAX_CALL_DURATION)
            ? seconds(
                values.get(MAX_CALL_DURATION),
                MAX_CALL_DURATION,
                MAX_CALL_SECONDS,
                lineOf.get(MAX_CALL_DURATION))
            : DEFAULT_MAX_CALL_DURATION;
    Optional<String> management = Optional.ofNullable(values.get(MANAGEMENT));
    if (management.isPresent() && !isHostPort(management.get())) {
      throw new FileFormatException("line " + lineOf.get(MANAGEMENT) + ": " + managementMessage());
    }
    return new B2bConf(
        values.get("domain"),
        values.get("portal-sip-uri"),
        values.get("internal-sip-uri"),
        SipPassword.of(password),
        ring,
        maxCall,
        management);
  }

  /** Redacts the password. */
  @Override
  public String toString() {
    return "B2bConf[domain="
        + domain
        + ", portalSipUri="
        + portalSipUri
        + ", internalSipUri="
        + internalSipUri
        + ", password=<redacted>, ringTimeout="
        + ringTimeout
        + ", maxCallDuration="
        + maxCallDuration
        + ", management="
        + management.orElse("off")
        + "]";
  }
}
