package io.doorpair.welcome.offline;

import io.doorpair.crypto.SipPassword;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The text of an offline QR code, version 1 (documented byte for byte in this module's README and
 * in {@code ipgw-pairing/README.md}): ASCII, lines ended by LF, in this order and nothing else, no
 * LF after the last line:
 *
 * <pre>
 * DOORPAIR-OFFLINE/1
 * domain=k3v9q2m7x1ab
 * sip=sip:192.168.1.20:5070;transport=tcp
 * name=alice
 * user=alice-7f3a
 * password=Ab3dEf6hIj9kLm2nOp5qRs8t
 * rights=door_calls,open_door,cameras
 * external=yes
 * expires=2026-12-04T21:10:00Z
 * id=0123456789abcdef0123456789abcdef
 * sha256=&lt;64 lowercase hex&gt;
 * </pre>
 *
 * <p>{@code sha256} is SHA-256 over every byte before it: the ten lines above it, each with its LF.
 * It has no key: it detects a payload damaged in transit (a misread QR code, a truncated copy) or
 * edited by someone who did not recompute it; it proves nothing about who made the payload. The
 * confirmation code ({@link ConfirmationCode}) is what ties a scan to the gateway's pending
 * account.
 *
 * <p>The encoding is canonical: {@link #parse} accepts only what {@link #encode} writes, so {@code
 * encode(parse(text))} is {@code text} and both ends compute the confirmation code over the same
 * bytes.
 */
public final class OfflinePayload {
  /** The first line's prefix. */
  public static final String MAGIC = "DOORPAIR-OFFLINE/";

  /** The version this class writes and reads. */
  public static final int VERSION = 1;

  /** Longest text accepted (a version 1 payload is under 400 bytes). */
  public static final int MAX_LENGTH = 1024;

  private static final String[] KEYS = {
    "domain", "sip", "name", "user", "password", "rights", "external", "expires", "id"
  };
  private static final String HASH_LINE = "\nsha256=";

  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]{12}");
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9]{24}");
  private static final Pattern SIP_URI =
      Pattern.compile(
          "sip:(\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)"
              + "(:([0-9]{1,5}))?(;transport=(udp|tcp))?");
  private static final Pattern RIGHTS =
      Pattern.compile("none|door_calls(,open_door)?(,cameras)?|open_door(,cameras)?|cameras");
  private static final Pattern EXPIRES =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern VERSION_TEXT = Pattern.compile("[0-9]{1,9}");

  private OfflinePayload() {}

  /**
   * Writes the payload of an account.
   *
   * @param a the account
   * @return the QR code's text
   */
  public static String encode(OfflineAccount a) {
    StringBuilder b = new StringBuilder(400);
    b.append(MAGIC).append(VERSION).append('\n');
    line(b, "domain", a.domain());
    line(b, "sip", a.internalSipUri());
    line(b, "name", a.name());
    line(b, "user", a.sipUsername());
    line(b, "password", a.password().reveal());
    line(b, "rights", rights(a.rights()));
    line(b, "external", a.externalAccess() ? "yes" : "no");
    line(b, "expires", a.expiresAt().toString());
    line(b, "id", a.oneTimeId());
    String hash = hex(sha256(b.toString()));
    b.append("sha256=").append(hash);
    return b.toString();
  }

  /**
   * Reads a payload: version, then hash, then every field.
   *
   * @param text the QR code's decoded text
   * @return the account it carries
   * @throws OfflinePayloadException {@code not_doorpair}, {@code unsupported_version}, {@code
   *     hash_mismatch} (corrupted or edited) or {@code malformed}
   */
  public static OfflineAccount parse(String text) throws OfflinePayloadException {
    if (text == null || !text.startsWith(MAGIC)) {
      throw new OfflinePayloadException(
          OfflinePayloadException.NOT_OURS, "this QR code is not a doorpair offline account");
    }
    if (text.length() > MAX_LENGTH) {
      throw new OfflinePayloadException(
          OfflinePayloadException.MALFORMED,
          "the QR payload is longer than " + MAX_LENGTH + " characters");
    }
    int firstLf = text.indexOf('\n');
    String version = text.substring(MAGIC.length(), firstLf < 0 ? text.length() : firstLf);
    if (!VERSION_TEXT.matcher(version).matches()) {
      throw new OfflinePayloadException(
          OfflinePayloadException.MALFORMED, "the QR payload's version is not a number");
    }
    if (Integer.parseInt(version) != VERSION) {
      throw new OfflinePayloadException(
          OfflinePayloadException.UNSUPPORTED_VERSION,
          "the QR payload is version "
              + Integer.parseInt(version)
              + "; this app reads version "
              + VERSION
              + " only (update the app)");
    }
    int hashAt = text.lastIndexOf(HASH_LINE);
    if (hashAt < 0) {
      throw new OfflinePayloadException(
          OfflinePayloadException.HASH_MISMATCH,
          "the QR payload has no integrity hash: it is truncated or corrupted; scan it again");
    }
    String covered = text.substring(0, hashAt + 1);
    String hash = text.substring(hashAt + HASH_LINE.length());
    byte[] expected = sha256(covered);
    if (!HEX64.matcher(hash).matches()
        || !MessageDigest.isEqual(
            hex(expected).getBytes(StandardCharsets.US_ASCII),
            hash.getBytes(StandardCharsets.US_ASCII))) {
      throw new OfflinePayloadException(
          OfflinePayloadException.HASH_MISMATCH,
          "the QR payload is corrupted or was edited: its SHA-256 does not match; scan the code"
              + " on the gateway's admin page again");
    }
    String[] lines = covered.substring(firstLf + 1, covered.length() - 1).split("\n", -1);
    if (lines.length != KEYS.length) {
      throw malformed("it has " + lines.length + " fields, version 1 has " + KEYS.length);
    }
    String[] values = new String[KEYS.length];
    for (int i = 0; i < KEYS.length; i++) {
      String prefix = KEYS[i] + "=";
      if (!lines[i].startsWith(prefix)) {
        throw malformed("field " + (i + 1) + " must be " + KEYS[i]);
      }
      values[i] = lines[i].substring(prefix.length());
    }
    if (!"yes".equals(values[6]) && !"no".equals(values[6])) {
      throw malformed("external must be yes or no");
    }
    if (!RIGHTS.matcher(values[5]).matches()) {
      throw malformed("rights must be none or door_calls,open_door,cameras (a subset, in order)");
    }
    if (!EXPIRES.matcher(values[7]).matches()) {
      throw malformed("expires must be YYYY-MM-DDTHH:MM:SSZ");
    }
    Instant expires;
    try {
      expires = Instant.parse(values[7]);
    } catch (DateTimeParseException e) {
      throw malformed("expires is not a valid time");
    }
    if (!expires.toString().equals(values[7])) {
      throw malformed("expires is not a valid time");
    }
    if (!PASSWORD.matcher(values[4]).matches()) {
      throw malformed("the password must be 24 characters of A-Z, a-z and 0-9");
    }
    SipPassword password = SipPassword.of(values[4]);
    String bad = check(values[0], values[1], values[2], values[3], password, values[8]);
    if (bad != null) {
      throw malformed(bad);
    }
    return new OfflineAccount(
        values[0],
        values[1],
        values[2],
        values[3],
        password,
        parseRights(values[5]),
        "yes".equals(values[6]),
        expires,
        values[8]);
  }

  /**
   * Checks the text fields of an account; null when they are fine, else why not (never quoting the
   * password).
   */
  static String check(
      String domain,
      String sipUri,
      String name,
      String sipUsername,
      SipPassword password,
      String oneTimeId) {
    if (domain == null || !DOMAIN.matcher(domain).matches()) {
      return "the domain must be 12 characters of a-z and 0-9";
    }
    if (sipUri == null || !validSipUri(sipUri)) {
      return "the internal SIP URI must be sip:HOST[:PORT][;transport=udp|tcp]";
    }
    if (name == null || !USERNAME.matcher(name).matches()) {
      return "the name must be a username: a-z, 0-9 then up to 63 of a-z, 0-9, '.', '_', '-'";
    }
    if (sipUsername == null || !USERNAME.matcher(sipUsername).matches()) {
      return "the SIP username must be a-z, 0-9 then up to 63 of a-z, 0-9, '.', '_', '-'";
    }
    if (password == null || !PASSWORD.matcher(password.reveal()).matches()) {
      return "the password must be 24 characters of A-Z, a-z and 0-9";
    }
    if (oneTimeId == null || !ID.matcher(oneTimeId).matches()) {
      return "the id must be 32 lowercase hex characters";
    }
    return null;
  }

  private static boolean validSipUri(String uri) {
    var m = SIP_URI.matcher(uri);
    if (!m.matches()) {
      return false;
    }
    String port = m.group(4);
    if (port != null) {
      int p = Integer.parseInt(port);
      return p >= 1 && p <= 65535;
    }
    return true;
  }

  private static OfflinePayloadException malformed(String why) {
    return new OfflinePayloadException(
        OfflinePayloadException.MALFORMED, "the QR payload is malformed: " + why);
  }

  private static void line(StringBuilder b, String key, String value) {
    b.append(key).append('=').append(value).append('\n');
  }

  private static String rights(OfflineRights r) {
    StringBuilder b = new StringBuilder();
    if (r.doorCalls()) {
      b.append("door_calls");
    }
    if (r.openDoor()) {
      b.append(b.length() > 0 ? "," : "").append("open_door");
    }
    if (r.cameras()) {
      b.append(b.length() > 0 ? "," : "").append("cameras");
    }
    return b.length() == 0 ? "none" : b.toString();
  }

  private static OfflineRights parseRights(String text) {
    return new OfflineRights(
        text.contains("door_calls"), text.contains("open_door"), text.contains("cameras"));
  }

  /** Lowercase hex (no {@code java.util.HexFormat}: Android lacks it below API 34). */
  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    String digits = "0123456789abcdef";
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = digits.charAt((bytes[i] >> 4) & 0xf);
      out[2 * i + 1] = digits.charAt(bytes[i] & 0xf);
    }
    return new String(out);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
