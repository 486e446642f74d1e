package io.doorpair.e2e.harness;

import io.doorpair.b2b.testing.DoorStation;
import io.doorpair.b2b.testing.DoorStation.Received;
import io.doorpair.crypto.SipPassword;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A door station as a process of its own in a host ({@code ip netns exec NAME java ...
 * DoorStationMain HOST PORT DOMAIN USER LOCAL}, its password the first line of standard input, its
 * socket on the address LOCAL): {@code ipgw-b2b}'s raw-SIP {@link DoorStation} registered on the
 * b2b's internal SIP server, driven by one command a line, each answered by one line:
 *
 * <ul>
 *   <li>{@code call-answered}: calls {@code ipgw}; on {@code 200} ACKs, hangs up (BYE) and answers
 *       {@code answered}; else {@code final STATUS}
 *   <li>{@code call-unanswered SECONDS}: calls {@code ipgw}, cancels after SECONDS unless a final
 *       answer came first, answers {@code final STATUS} (487 when cancelled)
 * </ul>
 *
 * It first answers {@code registered} (or {@code error ...} and exits 1).
 */
public final class DoorStationMain {
  private static final Duration REGISTER = Duration.ofSeconds(90);
  private static final Duration FINAL = Duration.ofSeconds(90);

  private DoorStationMain() {}

  /**
   * The door station.
   *
   * @param args the internal SIP server's host and UDP port, the gateway DOMAIN, the door's user,
   *     the door's own address
   */
  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    SipPassword password = SipPassword.of(in.readLine());
    InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    DoorStation door;
    try {
      door = register(server, args[2], args[3], password, InetAddress.getByName(args[4]));
    } catch (IOException | AssertionError e) {
      say("error " + e.getMessage().replace('\n', ' '));
      System.exit(1);
      return;
    }
    say("registered");
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.strip().split(" ");
      try {
        switch (words[0]) {
          case "call-answered" -> say(callAnswered(door));
          case "call-unanswered" ->
              say(callUnanswered(door, Duration.ofSeconds(Long.parseLong(words[1]))));
          default -> say("error unknown command");
        }
      } catch (IOException | AssertionError | RuntimeException e) {
        say("error " + String.valueOf(e.getMessage()).replace('\n', ' '));
      }
    }
  }

  private static DoorStation register(
      InetSocketAddress server, String domain, String user, SipPassword password, InetAddress local)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + REGISTER.toNanos();
    while (true) {
      try {
        return DoorStation.register(server, domain, user, password, local);
      } catch (IOException | AssertionError e) {
        // the b2b may still be starting, or rereading the password file
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static String callAnswered(DoorStation door) throws IOException, InterruptedException {
    DoorStation.Outgoing call = door.call("ipgw");
    int mark = door.mark();
    Received answer =
        finalAnswer(door, call, mark, FINAL)
            .orElseThrow(() -> new AssertionError("no final answer to the door's INVITE"));
    if (answer.status() != 200) {
      return "final " + answer.status();
    }
    door.ack(call, answer);
    int before = door.mark();
    door.bye(call, answer);
    door.await("200 to the BYE", before, r -> r.status() == 200 && r.isResponseTo("BYE"));
    return "answered";
  }

  private static String callUnanswered(DoorStation door, Duration ring)
      throws IOException, InterruptedException {
    DoorStation.Outgoing call = door.call("ipgw");
    int mark = door.mark();
    Optional<Received> early = finalAnswer(door, call, mark, ring);
    if (early.isPresent()) {
      return "final " + early.get().status();
    }
    door.cancel(call);
    return "final "
        + finalAnswer(door, call, mark, FINAL)
            .map(Received::status)
            .orElseThrow(() -> new AssertionError("no final answer after CANCEL"));
  }

  /** The final answer to the call's authenticated INVITE (the 407 came before {@code mark}). */
  private static Optional<Received> finalAnswer(
      DoorStation door, DoorStation.Outgoing call, int mark, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      List<Received> all = door.received();
      for (Received r : all.subList(Math.min(mark, all.size()), all.size())) {
        if (r.status() >= 200
            && r.status() != 407
            && r.isResponseTo("INVITE")
            && r.header("Call-ID").equals(call.callId())) {
          return Optional.of(r);
        }
      }
      Thread.sleep(50);
    }
    return Optional.empty();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
