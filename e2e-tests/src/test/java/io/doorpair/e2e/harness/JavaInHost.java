package io.doorpair.e2e.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the test class path as a process of its own in a host's namespace. */
final class JavaInHost {
  private JavaInHost() {}

  /**
   * Starts {@code main args...} in {@code host}, standard error to {@code log}, standard input and
   * output left as pipes.
   *
   * @return the process
   */
  static Process start(NetnsHost host, Path log, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(host.exec(command))
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }
}
