package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.sip.SipPhone;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code welcome register}: registers this device at the portal SIP server and stays registered,
 * printing incoming calls; answers them with a key (or at once with {@code --auto-answer}).
 */
@Command(
    name = "register",
    description =
        "Register this device at the portal SIP server and stay registered, printing incoming"
            + " calls. Keys (each followed by Enter): Enter or a answers, r rejects, o opens the"
            + " door, h hangs up, q quits.")
final class RegisterCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Mixin SipOptions sip;

  @Option(
      names = "--auto-answer",
      description = "answer every call at once; keeps running at end of input until stopped")
  boolean autoAnswer;

  @Override
  public Integer call() throws Exception {
    WelcomeApp app = root.app();
    SipSession session = new SipSession(root.out(), app, autoAnswer);
    try (SipPhone phone = SipPhone.start(sip.config(app), session)) {
      session.event(
          Map.of("event", "registering", "aor", phone.aor()),
          "Registering " + phone.aor() + " ...");
      session.serve(System.in, autoAnswer);
      return WelcomeCommand.OK;
    }
  }
}
