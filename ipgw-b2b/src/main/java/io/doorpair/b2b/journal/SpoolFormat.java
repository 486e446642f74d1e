package io.doorpair.b2b.journal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text of one spool file, written by the b2b ({@link SpoolJournal}) and read by the {@code
 * ipgw} agent's intake with this same class:
 *
 * <pre>
 * doorpair-journal 1
 * id=3f0c...-...
 * kind=answered|missed|door_opened|door_registered|door_unregistered
 * door=door
 * user=alice            (absent when empty)
 * device=sip:...;gr=... (absent when empty)
 * at=2026-12-04T10:00:00.123Z
 * </pre>
 *
 * UTF-8, {@code \n} line ends, each key once, in this order. A spool file is input from another
 * process: {@link #parse} refuses anything else with a {@link SpoolFormatException} and never
 * throws another exception.
 */
public final class SpoolFormat {
  /** The first line. */
  public static final String MAGIC = "doorpair-journal 1";

  /** The largest file accepted. */
  public static final int MAX_BYTES = 2048;

  /** Record ids: what the portal accepts as an event id, 1-64 of {@code [A-Za-z0-9._:-]}. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** Door, user and device values: printable, no spaces or controls, at most 512. */
  private static final Pattern VALUE = Pattern.compile("[\\x21-\\x7e]{1,512}");

  private SpoolFormat() {}

  /**
   * The file's text for a record.
   *
   * @param r the record
   * @return the text
   * @throws IllegalArgumentException when a field cannot be written (bad id, a door, user or device
   *     with spaces, controls or non-ASCII, or over 512 characters)
   */
  public static String render(CallRecord r) {
    check(r);
    StringBuilder b = new StringBuilder(MAGIC).append('\n');
    b.append("id=").append(r.id()).append('\n');
    b.append("kind=").append(kindName(r.kind())).append('\n');
    b.append("door=").append(r.door()).append('\n');
    r.user().ifPresent(u -> b.append("user=").append(u).append('\n'));
    r.device().ifPresent(d -> b.append("device=").append(d).append('\n'));
    b.append("at=").append(r.at()).append('\n');
    return b.toString();
  }

  /**
   * Reads a spool file's bytes.
   *
   * @param bytes the file
   * @return the record
   * @throws SpoolFormatException when the file is not exactly what {@link #render} writes
   */
  public static CallRecord parse(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new SpoolFormatException("larger than " + MAX_BYTES + " bytes");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new SpoolFormatException("not UTF-8");
    }
    if (!text.endsWith("\n")) {
      throw new SpoolFormatException("truncated (no final line end)");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (!lines[0].equals(MAGIC)) {
      throw new SpoolFormatException("line 1: not " + MAGIC);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new SpoolFormatException("line " + (i + 1) + ": not key=value");
      }
      String key = line.substring(0, eq);
      if (!key.matches("id|kind|door|user|device|at")) {
        throw new SpoolFormatException("line " + (i + 1) + ": unknown key");
      }
      if (fields.put(key, line.substring(eq + 1)) != null) {
        throw new SpoolFormatException("line " + (i + 1) + ": " + key + " given twice");
      }
    }
    for (String key : new String[] {"id", "kind", "door", "at"}) {
      if (!fields.containsKey(key)) {
        throw new SpoolFormatException("missing " + key);
      }
    }
    Instant at;
    try {
      at = Instant.parse(fields.get("at"));
    } catch (DateTimeParseException e) {
      throw new SpoolFormatException("at: not an ISO-8601 instant");
    }
    CallRecord.Kind kind = kindOf(fields.get("kind"));
    CallRecord r =
        new CallRecord(
            fields.get("id"),
            kind,
            fields.get("door"),
            Optional.ofNullable(fields.get("user")),
            Optional.ofNullable(fields.get("device")),
            at);
    try {
      check(r);
    } catch (IllegalArgumentException e) {
      throw new SpoolFormatException(e.getMessage());
    }
    if (!render(r).equals(text)) {
      throw new SpoolFormatException("keys out of order");
    }
    return r;
  }

  /**
   * The outbox's name of a kind: {@code answered}, {@code missed}, {@code door_opened}, {@code
   * door_registered}, {@code door_unregistered}.
   *
   * @param kind the kind
   * @return its lowercase name
   */
  public static String kindName(CallRecord.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static CallRecord.Kind kindOf(String name) {
    for (CallRecord.Kind k : CallRecord.Kind.values()) {
      if (kindName(k).equals(name)) {
        return k;
      }
    }
    throw new SpoolFormatException(
        "kind: not answered, missed, door_opened, door_registered or door_unregistered");
  }

  private static void check(CallRecord r) {
    if (!ID.matcher(r.id()).matches()) {
      throw new IllegalArgumentException("id: 1-64 characters of A-Z a-z 0-9 . _ : -");
    }
    value("door", r.door());
    r.user().ifPresent(u -> value("user", u));
    r.device().ifPresent(d -> value("device", d));
  }

  private static void value(String name, String v) {
    if (!VALUE.matcher(v).matches()) {
      throw new IllegalArgumentException(
          name + ": 1-512 printable ASCII characters without spaces");
    }
  }
}
