package io.doorpair.welcome.sip;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The door-open command, as a SIP INFO in the call (RFC 6086) with a DTMF relay body, the form SIP
 * door stations and Linphone's {@code sip-info} DTMF mode use:
 *
 * <pre>
 * INFO ... SIP/2.0
 * Content-Type: application/dtmf-relay
 *
 * Signal=#
 * Duration=250
 * </pre>
 *
 * The digit is the one the door station expects ({@code #} unless configured).
 *
 * @param digit one of {@code 0-9 * # A-D}
 * @param durationMillis the tone length the body announces, 50-5000 ms
 */
public record DoorOpen(char digit, int durationMillis) {
  /** The INFO body's content type. */
  public static final String CONTENT_TYPE = "application";

  /** The INFO body's content subtype. */
  public static final String CONTENT_SUBTYPE = "dtmf-relay";

  private static final Pattern DIGITS = Pattern.compile("[0-9*#A-D]");

  /** {@code #} for 250 ms. */
  public static final DoorOpen DEFAULT = new DoorOpen('#', 250);

  /** Checks the digit and duration. */
  public DoorOpen {
    if (!DIGITS.matcher(String.valueOf(digit)).matches()) {
      throw new IllegalArgumentException("a door-open digit is one of 0-9 * # A-D");
    }
    if (durationMillis < 50 || durationMillis > 5000) {
      throw new IllegalArgumentException("a door-open tone lasts 50-5000 ms");
    }
  }

  /**
   * The INFO body.
   *
   * @return {@code Signal=<digit>\r\nDuration=<ms>\r\n}
   */
  public String body() {
    return "Signal=" + digit + "\r\nDuration=" + durationMillis + "\r\n";
  }

  /**
   * Reads the digit of a DTMF relay body (for peers and tests).
   *
   * @param body an {@code application/dtmf-relay} body
   * @return the digit of its {@code Signal=} line
   * @throws IllegalArgumentException when it has none
   */
  public static char signalOf(String body) {
    Objects.requireNonNull(body, "body");
    for (String line : body.split("\r?\n")) {
      String[] kv = line.split("=", 2);
      if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("Signal")) {
        String v = kv[1].trim();
        if (v.length() == 1 && DIGITS.matcher(v).matches()) {
          return v.charAt(0);
        }
      }
    }
    throw new IllegalArgumentException("no Signal= line with one DTMF digit");
  }
}
