package io.doorpair.b2b.conf;

import io.doorpair.crypto.SipPassword;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code b2b.conf} (the specification's annex 1): an INI file like Flexisip's own configuration,
 * one section {@code [b2b]} with the portal SIP URI, the internal SIP URI, the b2b password and the
 * gateway DOMAIN.
 *
 * <pre>
 * # b2b.conf written by ipgw at pairing; pairing again rewrites it
 * [b2b]
 * domain=k3x9abcd1234
 * portal-sip-uri=sips:portal.example.com:5061
 * internal-sip-uri=sip:127.0.0.1:5070;transport=tcp
 * password=Gq3...
 * </pre>
 *
 * <p>Parsing accepts comments ({@code #} or {@code ;} first), empty lines, {@code key=value} with
 * spaces around {@code =}, and refuses unknown sections or keys, a key given twice and a missing
 * key, naming the line.
 *
 * @param domain the gateway DOMAIN
 * @param portalSipUri the portal SIP server, e.g. {@code sips:portal.example.com:5061}
 * @param internalSipUri the internal SIP server, e.g. {@code sip:127.0.0.1:5070;transport=tcp}
 * @param password the b2b's password at the internal SIP server (user {@code ipgw@DOMAIN})
 */
public record B2bConf(
    String domain, String portalSipUri, String internalSipUri, SipPassword password) {
  /** The longest file read. */
  public static final int MAX_CHARS = 64 * 1024;

  private static final Pattern SIP_URI = Pattern.compile("sips?:[!-~]{1,250}");
  private static final String SECTION = "[b2b]";

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
        + "\n";
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
          && !key.equals("password")) {
        throw new FileFormatException("line " + number + ": unknown key");
      }
      if (values.put(key, value) != null) {
        throw new FileFormatException("line " + number + ": " + key + " given twice");
      }
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
    return new B2bConf(
        values.get("domain"),
        values.get("portal-sip-uri"),
        values.get("internal-sip-uri"),
        SipPassword.of(password));
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
        + ", password=<redacted>]";
  }
}
