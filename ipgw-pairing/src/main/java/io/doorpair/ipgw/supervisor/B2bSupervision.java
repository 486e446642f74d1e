package io.doorpair.ipgw.supervisor;

import io.doorpair.b2b.conf.GatewayPaths;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@code ipgw} runs the b2b: not at all ({@code --no-b2b}), as a supervised child (the default:
 * {@link ChildB2b#javaCommand} or {@code --b2b-command}), or as a systemd unit ({@code
 * --b2b-systemd-unit}).
 *
 * @param mode which
 * @param command the child's program and its first arguments ({@code serve --root ROOT} are
 *     appended); empty: the b2b from this JVM's class path
 * @param unit the systemd unit, for {@link Mode#SYSTEMD}
 */
public record B2bSupervision(Mode mode, Optional<String> command, Optional<String> unit) {
  /** The modes. */
  public enum Mode {
    /** No b2b managed. */
    NONE,
    /** A supervised child process. */
    CHILD,
    /** A systemd unit. */
    SYSTEMD
  }

  /** Checks the fields. */
  public B2bSupervision {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(unit, "unit");
    if (mode == Mode.SYSTEMD && unit.isEmpty()) {
      throw new IllegalArgumentException("a systemd unit needs its name");
    }
  }

  /**
   * No b2b.
   *
   * @return the supervision
   */
  public static B2bSupervision none() {
    return new B2bSupervision(Mode.NONE, Optional.empty(), Optional.empty());
  }

  /**
   * A child process: {@code command serve --root ROOT}, or the b2b of this JVM's class path.
   *
   * @param command e.g. {@code /opt/doorpair/bin/b2b}; empty for the class path
   * @return the supervision
   */
  public static B2bSupervision child(Optional<String> command) {
    return new B2bSupervision(Mode.CHILD, command, Optional.empty());
  }

  /**
   * A systemd unit.
   *
   * @param unit e.g. {@code b2b.service}
   * @return the supervision
   */
  public static B2bSupervision systemd(String unit) {
    return new B2bSupervision(Mode.SYSTEMD, Optional.empty(), Optional.of(unit));
  }

  /**
   * Starts managing the b2b.
   *
   * @param root the gateway's root
   * @param dataDir ipgw's data folder
   * @return the service
   */
  public B2bService open(Path root, Path dataDir) {
    return switch (mode) {
      case NONE -> B2bService.NONE;
      case SYSTEMD -> new SystemdB2b("systemctl", unit.orElseThrow());
      case CHILD ->
          ChildB2b.start(
              command
                  .map(c -> List.of(c, "serve", "--root", root.toString()))
                  .orElseGet(() -> ChildB2b.javaCommand(root)),
              GatewayPaths.under(root).all(),
              dataDir,
              Clock.systemUTC());
    };
  }
}
