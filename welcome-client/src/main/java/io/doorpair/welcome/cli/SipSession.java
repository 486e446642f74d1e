package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.sip.Call;
import io.doorpair.welcome.sip.CallListener;
import io.doorpair.welcome.sip.CallState;
import io.doorpair.welcome.sip.IncomingCall;
import io.doorpair.welcome.sip.SipPhone;
import io.doorpair.welcome.sip.SipPhoneException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the SIP commands print and how they read keys: one line per event (one JSON object per line
 * with {@code --json}), calls driven by lines of standard input.
 */
final class SipSession implements CallListener {
  static final Duration REGISTER_WAIT = Duration.ofSeconds(30);
  static final Duration ANSWER_WAIT = Duration.ofSeconds(60);
  private static final String EOF = "\u0000eof";

  private final Output out;
  private final WelcomeApp app;
  private final boolean autoAnswer;
  private final BlockingQueue<String> keys = new LinkedBlockingQueue<>();
  private volatile IncomingCall ringing;
  private volatile Call current;

  SipSession(Output out, WelcomeApp app) {
    this(out, app, false);
  }

  SipSession(Output out, WelcomeApp app, boolean autoAnswer) {
    this.out = out;
    this.app = app;
    this.autoAnswer = autoAnswer;
  }

  /** Prints one event: {@code json} with {@code --json}, else {@code text}. */
  synchronized void event(Map<String, ?> json, String text) {
    out.print(json, text);
  }

  void awaitRegistered(SipPhone phone) throws SipPhoneException, InterruptedException {
    long end = System.nanoTime() + REGISTER_WAIT.toNanos();
    while (!phone.registered()) {
      if (System.nanoTime() > end) {
        throw new SipPhoneException(
            "timeout",
            0,
            "not registered within "
                + REGISTER_WAIT.toSeconds()
                + " s: "
                + phone.lastRegistrationFailure().orElse("no answer"));
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void registration(boolean registered) {
    event(
        Map.of("event", registered ? "registered" : "registration_lost"),
        registered ? "Registered." : "Registration lost; registering again ...");
  }

  @Override
  public void ringing(IncomingCall call) {
    String from = Terminal.printable(call.remoteParty());
    gatewayOf(from).ifPresent(domain -> credentialsFor(domain).ifPresent(call::useCredentials));
    ringing = call;
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("event", "ringing");
    json.put("call_id", Terminal.printable(call.callId()));
    json.put("from", from);
    event(
        json,
        "Incoming call from " + from + (autoAnswer ? "" : " (Enter or a: answer, r: reject)"));
    if (autoAnswer) {
      answer(call);
    }
  }

  @Override
  public void ended(Call call) {
    if (call == ringing) {
      ringing = null;
    }
    if (call == current) {
      current = null;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("event", "ended");
    json.put("call_id", Terminal.printable(call.callId()));
    json.put("reason", call.endReason().orElse(""));
    event(json, "Call ended: " + call.endReason().orElse(""));
  }

  private void answer(IncomingCall call) {
    try {
      call.answer(Optional.empty());
      ringing = null;
      current = call;
      event(
          Map.of("event", "answered", "call_id", Terminal.printable(call.callId())),
          "Answered. o: open the door, h: hang up.");
    } catch (SipPhoneException e) {
      event(
          Map.of("event", "error", "message", e.getMessage()),
          "Could not answer: " + e.getMessage());
    }
  }

  void openDoor(Call call) throws InterruptedException {
    try {
      call.sendDoorOpen();
      event(
          Map.of("event", "door_opened", "call_id", Terminal.printable(call.callId())),
          "Door opened.");
    } catch (SipPhoneException e) {
      event(
          Map.of("event", "error", "code", e.code(), "message", e.getMessage()),
          "Door not opened: " + e.getMessage() + " (" + e.code() + ")");
    }
  }

  /** The gateway DOMAIN of a caller's URI, when its host is one. */
  private static Optional<String> gatewayOf(String uri) {
    int at = uri.indexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    String host = uri.substring(at + 1).split("[;:>]", 2)[0].toLowerCase(java.util.Locale.ROOT);
    return host.matches("[a-z0-9]{1,63}") ? Optional.of(host) : Optional.empty();
  }

  private Optional<io.doorpair.welcome.sip.GatewayCredentials> credentialsFor(String domain) {
    try {
      return Optional.of(SipOptions.credentials(app, domain));
    } catch (RuntimeException noAccount) {
      return Optional.empty();
    }
  }

  /** Starts a daemon thread that turns lines of {@code in} into keys; EOF is a key too. */
  void readKeys(InputStream in) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  keys.add(line.trim().toLowerCase(java.util.Locale.ROOT));
                }
              } catch (IOException e) {
                // as end of input
              }
              keys.add(EOF);
            },
            "welcome-keys");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * An established outgoing call until it ends: for {@code hold}, or driven by keys (Enter or
   * {@code o} opens the door, {@code q} or end of input hangs up).
   */
  void converse(Call call, Duration hold, InputStream in) throws InterruptedException {
    if (hold != null) {
      call.await(CallState.ENDED, hold);
      call.hangUp();
      return;
    }
    readKeys(in);
    while (call.state() != CallState.ENDED) {
      String key = keys.poll(200, TimeUnit.MILLISECONDS);
      if (key == null) {
        continue;
      }
      if (key.equals(EOF) || key.equals("q")) {
        call.hangUp();
        return;
      }
      if (key.isEmpty() || key.equals("o")) {
        openDoor(call);
      }
    }
  }

  /**
   * Stays registered until {@code q}, or the end of input (or, with {@code stayAfterEof}, until the
   * process is stopped): Enter or {@code a} answers a ringing call, {@code r} rejects it, {@code o}
   * opens the door in the current call, {@code h} hangs it up.
   */
  void serve(InputStream in, boolean stayAfterEof) throws InterruptedException {
    readKeys(in);
    while (true) {
      String key = keys.take();
      if (key.equals(EOF)) {
        if (stayAfterEof) {
          Thread.sleep(Long.MAX_VALUE);
        }
        return;
      }
      IncomingCall rings = ringing;
      Call now = current;
      switch (key) {
        case "", "a" -> {
          if (rings != null) {
            answer(rings);
          }
        }
        case "r" -> {
          if (rings != null) {
            try {
              rings.reject(603);
            } catch (SipPhoneException e) {
              event(Map.of("event", "error", "message", e.getMessage()), e.getMessage());
            }
          }
        }
        case "o" -> {
          if (now != null) {
            openDoor(now);
          }
        }
        case "h" -> {
          if (now != null) {
            now.hangUp();
          } else if (rings != null) {
            rings.hangUp();
          }
        }
        case "q" -> {
          return;
        }
        default ->
            event(
                Map.of("event", "unknown_key"),
                "Keys: Enter/a answer, r reject, o open the door, h hang up, q quit.");
      }
    }
  }
}
