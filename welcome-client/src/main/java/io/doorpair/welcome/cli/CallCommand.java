package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.sip.Call;
import io.doorpair.welcome.sip.CallState;
import io.doorpair.welcome.sip.SipPhone;
import io.doorpair.welcome.sip.SipPhoneException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code welcome call DOMAIN TARGET}: calls a gateway's door station through the portal with this
 * device's account on DOMAIN; once connected, Enter (or {@code o}) opens the door, {@code q} or the
 * end of input hangs up.
 */
@Command(
    name = "call",
    description =
        "Call the door station TARGET of gateway DOMAIN through the portal, with this device's"
            + " account there. Connected: Enter or o opens the door, q (or end of input) hangs"
            + " up.")
final class CallCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Mixin SipOptions sip;

  @Parameters(index = "0", paramLabel = "DOMAIN", description = "the gateway DOMAIN")
  String domain;

  @Parameters(index = "1", paramLabel = "TARGET", description = "the door station's SIP user")
  String target;

  @Option(
      names = "--open-door",
      description = "send the door-open command as soon as the call is connected")
  boolean openDoor;

  @Option(
      names = "--hold",
      paramLabel = "SECONDS",
      description = "hang up after this many connected seconds instead of reading keys")
  Integer hold;

  @Override
  public Integer call() throws Exception {
    WelcomeApp app = root.app();
    SipSession session = new SipSession(root.out(), app);
    try (SipPhone phone = SipPhone.start(sip.config(app), session)) {
      session.awaitRegistered(phone);
      Call call = phone.call(SipOptions.credentials(app, domain), target);
      session.event(
          Map.of("event", "calling", "call_id", call.callId(), "to", call.remoteParty()),
          "Calling " + call.remoteParty() + " ...");
      if (call.await(CallState.ESTABLISHED, SipSession.ANSWER_WAIT) != CallState.ESTABLISHED) {
        call.hangUp();
        root.spec
            .commandLine()
            .getErr()
            .println(
                "welcome: the call was not connected: " + call.endReason().orElse("no answer"));
        return WelcomeCommand.FAILED;
      }
      session.event(
          Map.of("event", "connected", "call_id", call.callId()),
          "Connected. Enter or o: open the door; q: hang up.");
      if (openDoor) {
        session.openDoor(call);
      }
      session.converse(call, hold == null ? null : Duration.ofSeconds(hold), System.in);
      return WelcomeCommand.OK;
    } catch (SipPhoneException e) {
      root.spec
          .commandLine()
          .getErr()
          .println("welcome: SIP: " + e.getMessage() + " (" + e.code() + ")");
      return WelcomeCommand.FAILED;
    }
  }
}
