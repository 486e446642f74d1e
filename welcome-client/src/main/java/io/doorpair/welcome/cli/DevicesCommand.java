package io.doorpair.welcome.cli;

import io.doorpair.welcome.api.DeviceInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code welcome devices}: this user's devices and gateways. */
@Command(name = "devices", description = "List your devices (apps and gateways) and their serials.")
final class DevicesCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Override
  public Integer call() {
    List<DeviceInfo> devices = root.app().devices();
    StringBuilder text = new StringBuilder();
    for (DeviceInfo d : devices) {
      text.append(nz(d.serial()))
          .append("  ")
          .append(nz(d.kind()))
          .append("  ")
          .append(Terminal.printable(nz(d.commonName())))
          .append("  ")
          .append(Terminal.printable(nz(d.friendlyName())))
          .append(d.revokedAt() != null ? "  revoked " + d.revokedAt() : "")
          .append('\n');
    }
    root.out().print(devices, text.toString());
    return WelcomeCommand.OK;
  }

  private static String nz(String s) {
    return s == null ? "-" : s;
  }
}
