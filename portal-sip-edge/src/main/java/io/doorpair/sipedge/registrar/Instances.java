package io.doorpair.sipedge.registrar;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Device instances as SIP carries them: {@code +sip.instance="<urn:uuid:...>"} (RFC 5626) and the
 * public GRUU {@code sip:user@host;gr=urn:uuid:...} (RFC 5627).
 */
public final class Instances {
  private static final Pattern CANONICAL =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final int MAX_LENGTH = 100;

  private Instances() {}

  /**
   * Reads a {@code +sip.instance} value: {@code <urn:uuid:UUID>}, optionally in double quotes, the
   * UUID in its canonical 36-character form (either case).
   *
   * @return the UUID, or empty when the value is anything else
   */
  public static Optional<UUID> parse(String value) {
    if (value == null || value.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String v = value.trim();
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    if (v.length() < 2 || !v.startsWith("<") || !v.endsWith(">")) {
      return Optional.empty();
    }
    v = v.substring(1, v.length() - 1).toLowerCase(Locale.ROOT);
    if (!v.startsWith("urn:uuid:")) {
      return Optional.empty();
    }
    String uuid = v.substring("urn:uuid:".length());
    if (!CANONICAL.matcher(uuid).matches()) {
      return Optional.empty();
    }
    return Optional.of(UUID.fromString(uuid));
  }

  /** {@code <urn:uuid:UUID>}, the form a Contact's {@code +sip.instance} carries. */
  public static String contactValue(UUID instance) {
    return "<urn:uuid:" + instance + ">";
  }

  /** The public GRUU of a device: {@code sip:<aor>;gr=urn:uuid:<instance>}. */
  public static String publicGruu(String aor, UUID instance) {
    return "sip:" + aor + ";gr=urn:uuid:" + instance;
  }
}
