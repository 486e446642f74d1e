package io.doorpair.ipgw.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.ipgw.store.OutboxTable;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Queues events. Each gets a random 128-bit id (32 hex characters): unique for ever, even if a
 * power cut rolls back the outbox's own numbering, so the portal's "an id is stored once" never
 * swallows a different event.
 */
public final class Outbox {
  /** The kinds of DESIGN §8. */
  public static final Set<String> KINDS = Set.of("journal", "topology", "acl", "accounts");

  /** The portal's limit on a payload, in UTF-8 bytes. */
  public static final int MAX_PAYLOAD_BYTES = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecureRandom random;
  private final OutboxSender.Wakeup wakeup;

  /**
   * An outbox.
   *
   * @param random for event ids
   * @param wakeup told after each queued event (the sender's), or {@link OutboxSender.Wakeup#NONE}
   */
  public Outbox(SecureRandom random, OutboxSender.Wakeup wakeup) {
    this.random = Objects.requireNonNull(random, "random");
    this.wakeup = Objects.requireNonNull(wakeup, "wakeup");
  }

  /**
   * Queues an event in the caller's transaction. The sender is woken at once; should the
   * transaction roll back, it simply finds nothing new.
   *
   * @param c the transaction's connection
   * @param kind one of {@link #KINDS}
   * @param at when it happened
   * @param payload a JSON object (keys in the map's order)
   * @return the event id
   * @throws IllegalArgumentException for an unknown kind or a payload over 4096 bytes
   * @throws SQLException on database failure
   */
  public String queue(Connection c, String kind, Instant at, Map<String, ?> payload)
      throws SQLException {
    String text = checked(kind, payload);
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String id = HexFormat.of().formatHex(bytes);
    OutboxTable.append(c, id, kind, at, text);
    wakeup.wake();
    return id;
  }

  /**
   * Queues an event under an id chosen elsewhere (a b2b journal record's), in the caller's
   * transaction. The caller keeps ids unique for ever (the outbox forgets an event once sent).
   *
   * @param c the transaction's connection
   * @param id the event id, 1-64 characters of {@code [A-Za-z0-9._:-]}
   * @param kind one of {@link #KINDS}
   * @param at when it happened
   * @param payload a JSON object (keys in the map's order)
   * @throws IllegalArgumentException for a bad id, an unknown kind or a payload over 4096 bytes
   * @throws SQLException on database failure (an id still in the outbox included)
   */
  public void queueAs(Connection c, String id, String kind, Instant at, Map<String, ?> payload)
      throws SQLException {
    if (!id.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw new IllegalArgumentException("bad event id");
    }
    String text = checked(kind, payload);
    OutboxTable.append(c, id, kind, at, text);
    wakeup.wake();
  }

  private static String checked(String kind, Map<String, ?> payload) {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown event kind " + kind);
    }
    String text;
    try {
      text = JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload cannot be written as JSON", e);
    }
    if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("payload over " + MAX_PAYLOAD_BYTES + " bytes");
    }
    return text;
  }
}
