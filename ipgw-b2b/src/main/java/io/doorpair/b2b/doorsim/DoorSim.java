package io.doorpair.b2b.doorsim;

import io.doorpair.b2b.doorsim.DoorStation.Outgoing;
import io.doorpair.b2b.doorsim.DoorStation.Received;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the simulated door does with what it receives: answers every call at once (after a {@code
 * 180}), accepts INFO and reports DTMF ({@code application/dtmf-relay} {@code Signal=D} or {@code
 * application/dtmf} {@code D}), the door-open digit as "door opened"; reports the progress of the
 * call it placed (ringing, answered, refused) and ACKs its {@code 2xx}. One thread reads the
 * station's messages in order; {@link #ring()} and {@link #hangUp()} come from another.
 */
final class DoorSim implements AutoCloseable {
  private final DoorStation door;
  private final String target;
  private final char openDigit;
  private final Consumer<String> out;
  private final Thread handler;
  private final Object lock = new Object();
  private Outgoing placed;
  private Received placedAnswer;
  private volatile boolean closed;
  // the To tags of the calls answered, by Call-ID (the last 64: a retransmitted INVITE gets the
  // same answer); only the handler thread touches it
  private final Map<String, String> answered =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > 64;
        }
      };

  DoorSim(DoorStation door, String target, char openDigit, Consumer<String> out) {
    this.door = door;
    this.target = target;
    this.openDigit = openDigit;
    this.out = out;
    this.handler = new Thread(this::handleAll, "door-sim");
    this.handler.setDaemon(true);
    this.handler.start();
  }

  /** Calls the target (the gateway's {@code ipgw}), answering the proxy's digest challenge. */
  void ring() throws IOException {
    synchronized (lock) {
      if (placed != null) {
        out.accept("already calling; type hangup first");
        return;
      }
    }
    Outgoing call = door.call(target);
    synchronized (lock) {
      placed = call;
      placedAnswer = null;
    }
    out.accept("ringing " + target + " ...");
  }

  /** Ends the call placed: BYE once answered, CANCEL before. */
  void hangUp() throws IOException {
    Outgoing call;
    Received answer;
    synchronized (lock) {
      call = placed;
      answer = placedAnswer;
      placed = null;
      placedAnswer = null;
    }
    if (call == null) {
      out.accept("no call to hang up");
    } else if (answer != null) {
      door.bye(call, answer);
      out.accept("hung up");
    } else {
      door.cancel(call);
      out.accept("cancelled");
    }
  }

  private void handleAll() {
    int index = 0;
    while (!closed) {
      Optional<Received> next;
      try {
        next = door.next(index, Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        return;
      }
      if (next.isEmpty()) {
        continue;
      }
      index++;
      try {
        handle(next.get());
      } catch (IOException | RuntimeException e) {
        out.accept("error: " + e.getMessage());
      }
    }
  }

  private void handle(Received message) throws IOException {
    if (message.status() > 0) {
      handleResponse(message);
      return;
    }
    String method = message.startLine().split(" ", 2)[0];
    switch (method) {
      case "INVITE" -> {
        String callId = message.header("Call-ID");
        String known = answered.get(callId);
        String tag = known == null ? DoorStation.token() : known;
        answered.put(callId, tag);
        door.reply(message, 180, tag, "");
        door.reply(message, 200, tag, DoorStation.OFFER);
        if (known == null) {
          out.accept("call from " + printable(message.header("From")) + ": answered");
        }
      }
      case "ACK" -> {
        // the 2xx arrived
      }
      case "INFO" -> {
        door.reply(message, 200, DoorStation.token(), "");
        dtmf(message).ifPresent(this::dtmfReceived);
      }
      case "BYE" -> {
        // DoorStation answered it already
        synchronized (lock) {
          if (placed != null && placed.callId().equals(message.header("Call-ID"))) {
            placed = null;
            placedAnswer = null;
          }
        }
        out.accept("call ended by the other side");
      }
      case "CANCEL", "OPTIONS" -> door.reply(message, 200, DoorStation.token(), "");
      default -> door.reply(message, 501, DoorStation.token(), "");
    }
  }

  private void handleResponse(Received response) throws IOException {
    Outgoing call;
    synchronized (lock) {
      call = placed;
    }
    if (call == null
        || !response.isResponseTo("INVITE")
        || !response.header("Call-ID").equals(call.callId())) {
      return;
    }
    int status = response.status();
    if (status == 180 || status == 183) {
      out.accept("ringing at " + target);
    } else if (status >= 200 && status < 300) {
      door.ack(call, response);
      boolean first;
      synchronized (lock) {
        first = placedAnswer == null;
        placedAnswer = response;
      }
      if (first) {
        out.accept("answered; type hangup to end the call");
      }
    } else if (status >= 300 && status != 401 && status != 407) {
      synchronized (lock) {
        placed = null;
      }
      out.accept("call not answered: " + printable(response.startLine()));
    }
  }

  private void dtmfReceived(char digit) {
    if (digit == openDigit) {
      out.accept("door opened (DTMF " + digit + ")");
    } else {
      out.accept("DTMF " + digit + " received");
    }
  }

  /** The digit of a DTMF INFO, if it is one. */
  static Optional<Character> dtmf(Received info) {
    String type = info.header("Content-Type").toLowerCase(java.util.Locale.ROOT);
    String body = info.body().strip();
    if (type.startsWith("application/dtmf-relay")) {
      for (String line : body.split("\r?\n")) {
        int eq = line.indexOf('=');
        if (eq > 0 && line.substring(0, eq).strip().equalsIgnoreCase("Signal")) {
          return digit(line.substring(eq + 1).strip());
        }
      }
    } else if (type.startsWith("application/dtmf")) {
      return digit(body);
    }
    return Optional.empty();
  }

  private static Optional<Character> digit(String text) {
    return text.length() == 1 && "0123456789*#ABCDabcd".indexOf(text.charAt(0)) >= 0
        ? Optional.of(text.charAt(0))
        : Optional.empty();
  }

  /** Text from the network with control characters replaced, so it cannot drive the terminal. */
  static String printable(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), 200));
    text.codePoints()
        .limit(200)
        .forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return sb.toString();
  }

  @Override
  public void close() {
    closed = true;
    handler.interrupt();
    door.close();
  }
}
