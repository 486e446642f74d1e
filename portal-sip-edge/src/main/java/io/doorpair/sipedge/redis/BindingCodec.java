package io.doorpair.sipedge.redis;

import io.doorpair.sipedge.registrar.Binding;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A binding as one Redis hash value: {@code node LF flow LF contact LF instance LF seconds LF nanos
 * LF path} (the AOR and the key are the hash's name and field; a value of six lines, written before
 * Paths existed, has none). Lua scripts read the first two lines; values read back are checked, and
 * a malformed one is treated as absent.
 */
final class BindingCodec {
  private BindingCodec() {}

  static String encode(Binding b, String node) {
    check(node, "node");
    check(b.flow(), "flow");
    check(b.contact(), "contact");
    check(b.path(), "path");
    if (node.indexOf('|') >= 0 || b.flow().indexOf('|') >= 0) {
      throw new IllegalArgumentException("a node or flow name contains '|'");
    }
    return node
        + "\n"
        + b.flow()
        + "\n"
        + b.contact()
        + "\n"
        + b.instance().map(UUID::toString).orElse("")
        + "\n"
        + b.expiresAt().getEpochSecond()
        + "\n"
        + b.expiresAt().getNano()
        + "\n"
        + b.path();
  }

  static Optional<Binding> decode(String aor, String key, String value) {
    if (value == null) {
      return Optional.empty();
    }
    String[] f = value.split("\n", -1);
    if ((f.length != 6 && f.length != 7) || f[1].isEmpty() || f[2].isEmpty()) {
      return Optional.empty();
    }
    try {
      Optional<UUID> instance =
          f[3].isEmpty() ? Optional.empty() : Optional.of(UUID.fromString(f[3]));
      Instant expires = Instant.ofEpochSecond(Long.parseLong(f[4]), Long.parseLong(f[5]));
      String path = f.length == 7 ? f[6] : "";
      return Optional.of(new Binding(aor, key, f[2], instance, f[1], expires, f[0], path));
    } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** A flow set's member: which binding of which AOR. */
  static String member(String aor, String key) {
    check(aor, "aor");
    check(key, "key");
    return aor + "\n" + key;
  }

  private static void check(String value, String what) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a binding's " + what + " contains a line break");
    }
  }
}
