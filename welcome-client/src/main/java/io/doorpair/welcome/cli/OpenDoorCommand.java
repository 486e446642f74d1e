package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.sip.Call;
import io.doorpair.welcome.sip.CallState;
import io.doorpair.welcome.sip.SipPhone;
import io.doorpair.welcome.sip.SipPhoneException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code welcome open-door DOMAIN TARGET}: calls the door station, sends the door-open command once
 * connected, and hangs up.
 */
@Command(
    name = "open-door",
    description =
        "Open the door of station TARGET at gateway DOMAIN: call it through the portal, send the"
            + " door-open command (SIP INFO, DTMF) once connected, hang up.")
final class OpenDoorCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Mixin SipOptions sip;

  @Parameters(index = "0", paramLabel = "DOMAIN", description = "the gateway DOMAIN")
  String domain;

  @Parameters(index = "1", paramLabel = "TARGET", description = "the door station's SIP user")
  String target;

  @Override
  public Integer call() throws Exception {
    WelcomeApp app = root.app();
    SipSession session = new SipSession(root.out(), app);
    try (SipPhone phone = SipPhone.start(sip.config(app), session)) {
      session.awaitRegistered(phone);
      Call call = phone.call(SipOptions.credentials(app, domain), target);
      if (call.await(CallState.ESTABLISHED, SipSession.ANSWER_WAIT) != CallState.ESTABLISHED) {
        call.hangUp();
        throw new SipPhoneException(
            "refused", 0, "the call was not connected: " + call.endReason().orElse("no answer"));
      }
      try {
        call.sendDoorOpen();
        session.event(
            Map.of("event", "door_opened", "domain", domain, "target", target), "Door opened.");
      } finally {
        call.hangUp();
      }
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
