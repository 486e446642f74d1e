package io.doorpair.ipgw.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The b2b as a systemd unit ({@code --b2b-systemd-unit NAME}): systemd supervises and restarts it
 * (the unit's own {@code Restart=}); the kill switch runs {@code systemctl start|stop NAME}, the
 * state is {@code systemctl is-active NAME} (active → running, failed → crashed, anything else →
 * stopped) with {@code systemctl show -p MainPID --value NAME}, a reload is {@code systemctl kill
 * --kill-whom=main --signal=HUP NAME}, and a restart after a new pairing {@code systemctl
 * try-restart NAME}. {@code ipgw} needs the right to manage that unit (root, or a polkit rule). Not
 * tested against a real systemd in this repository's tests (containers run none); the commands are
 * the documented systemctl ones.
 */
public final class SystemdB2b implements B2bService {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdB2b.class);
  private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@-]{1,128}");

  private final String systemctl;
  private final String unit;

  /**
   * A unit.
   *
   * @param systemctl the systemctl program (e.g. {@code systemctl})
   * @param unit the unit's name, e.g. {@code b2b.service}
   * @throws IllegalArgumentException for a unit name systemd would not accept
   */
  public SystemdB2b(String systemctl, String unit) {
    this.systemctl = Objects.requireNonNull(systemctl, "systemctl");
    this.unit = Objects.requireNonNull(unit, "unit");
    if (!UNIT.matcher(unit).matches() || unit.startsWith("-")) {
      throw new IllegalArgumentException("--b2b-systemd-unit: not a unit name: " + unit);
    }
  }

  private record Result(int exit, String output) {}

  private Result run(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(systemctl);
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  @Override
  public B2bState state() {
    Result active = run("is-active", unit);
    String word = active.output().lines().findFirst().orElse("");
    B2bState.Status status =
        switch (word) {
          case "active", "reloading", "activating", "deactivating" -> B2bState.Status.RUNNING;
          case "failed" -> B2bState.Status.CRASHED;
          default -> B2bState.Status.STOPPED;
        };
    Optional<Long> pid = Optional.empty();
    if (status == B2bState.Status.RUNNING) {
      String text = run("show", "-p", "MainPID", "--value", unit).output();
      if (text.matches("[1-9][0-9]{0,9}")) {
        pid = Optional.of(Long.parseLong(text));
      }
    }
    String detail = "systemd unit " + unit + ": " + (word.isEmpty() ? "unknown" : word);
    return new B2bState(status, pid, detail.length() > 200 ? detail.substring(0, 200) : detail);
  }

  @Override
  public void start() {
    Result r = run("start", unit);
    if (r.exit() != 0) {
      throw new IllegalStateException("systemctl start " + unit + " failed: " + r.output());
    }
    LOG.info("b2b: systemctl start {}", unit);
  }

  @Override
  public void stop() {
    Result r = run("stop", unit);
    if (r.exit() != 0) {
      throw new IllegalStateException("systemctl stop " + unit + " failed: " + r.output());
    }
    LOG.info("b2b: systemctl stop {}", unit);
  }

  @Override
  public void reload() {
    Result r = run("kill", "--kill-whom=main", "--signal=HUP", unit);
    if (r.exit() != 0) {
      LOG.warn("b2b: SIGHUP to unit {} failed: {}", unit, r.output());
    }
  }

  /**
   * {@code systemctl try-restart NAME}: a running unit starts over, a stopped one stays stopped.
   */
  @Override
  public void restart() {
    Result r = run("try-restart", unit);
    if (r.exit() != 0) {
      LOG.warn("b2b: systemctl try-restart {} failed: {}", unit, r.output());
    } else {
      LOG.info("b2b: systemctl try-restart {} (the gateway was paired again)", unit);
    }
  }

  @Override
  public void close() {}
}
