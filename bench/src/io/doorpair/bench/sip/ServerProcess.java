package io.doorpair.bench.sip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server under test as the kernel sees it: CPU time (user + system, from {@code
 * /proc/PID/stat}) and memory (PSS from {@code smaps_rollup}, RSS from {@code status}) summed over
 * the process and all its descendants (Kamailio forks its workers).
 */
final class ServerProcess {
  private static final double TICK_MS = 10.0; // USER_HZ is 100 on Linux
  final long pid;

  ServerProcess(long pid) {
    this.pid = pid;
  }

  private List<Long> pids() {
    List<Long> all = new ArrayList<>();
    all.add(pid);
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> all.add(d.pid())));
    return all;
  }

  /** CPU time used so far, ms. */
  double cpuMs() {
    long ticks = 0;
    for (long p : pids()) {
      try {
        String stat = Files.readString(Path.of("/proc/" + p + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command: field 3 is index 0, so utime (14) is 11 and stime (15) is 12
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException gone) {
        // a process that ended between listing and reading
      }
    }
    return ticks * TICK_MS;
  }

  /** Proportional set size, kB. */
  long pssKb() {
    return sum("smaps_rollup", "Pss:");
  }

  /** Resident set size, kB. */
  long rssKb() {
    return sum("status", "VmRSS:");
  }

  /** How many processes (the main one and its descendants). */
  int processes() {
    return pids().size();
  }

  private long sum(String file, String key) {
    long kb = 0;
    for (long p : pids()) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + p + "/" + file))) {
          if (line.startsWith(key)) {
            kb += Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            break;
          }
        }
      } catch (IOException | RuntimeException gone) {
        // a process that ended between listing and reading
      }
    }
    return kb;
  }
}
