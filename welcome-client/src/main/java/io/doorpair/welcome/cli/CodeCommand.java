package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.ReceivedAccount;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code welcome code DOMAIN}: shows the security code of a received account again. */
@Command(name = "code", description = "Show the security code of an approved account again.")
final class CodeCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Parameters(paramLabel = "DOMAIN", description = "the gateway DOMAIN")
  String domain;

  @Override
  public Integer call() {
    show(root.out(), root.app().account(domain));
    return WelcomeCommand.OK;
  }

  static void show(Output out, ReceivedAccount received) {
    String code = received.code().value();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("domain", received.account().domain());
    json.put("sip_username", received.account().sipUsername());
    json.put("security_code", code);
    out.print(
        json,
        "Account received from "
            + received.account().domain()
            + ". Read this code to the gateway's owner;\n"
            + "they type it on the gateway to enable your account:\n\n"
            + BigText.render(code)
            + "\n  security code: "
            + code.substring(0, 4)
            + " "
            + code.substring(4)
            + "\n");
  }
}
