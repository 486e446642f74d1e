package io.doorpair.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end and keeps its exit code and output (standard error merged in). */
final class Processes {
  /** Generous: a JVM starting on a busy 2-core machine. */
  private static final long TIMEOUT_SECONDS = 300;

  private Processes() {}

  /** What a finished command left. */
  record Result(List<String> command, int exitCode, String output) {
    /** The output, or a failure naming the command, when the exit code is not 0. */
    String expectSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited " + exitCode + ":\n" + output);
      }
      return output;
    }
  }

  static Result run(List<String> command) {
    return run(command, Map.of(), null);
  }

  /**
   * Runs {@code command} in {@code dir} (null: this one) with {@code env} added to (or, for a null
   * value, removed from) this process's environment.
   */
  static Result run(List<String> command, Map<String, String> env, Path dir) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    env.forEach(
        (name, value) -> {
          if (value == null) {
            builder.environment().remove(name);
          } else {
            builder.environment().put(name, value);
          }
        });
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " still runs after the timeout");
      }
      return new Result(
          List.copyOf(command), process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    }
  }
}
