package io.doorpair.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time (user + system) of a JVM process so far, from {@code /proc/PID/task/TID/stat} (Linux),
 * split by thread: the JIT compiler threads ({@code C1/C2 CompilerThread}) apart from the rest
 * (request handling, GC, everything else). Threads that ended are counted in neither part.
 *
 * @param totalMillis all threads that are alive now
 * @param jitMillis the compiler threads among them
 */
record ServerCpu(long totalMillis, long jitMillis) {
  private static final long MILLIS_PER_TICK = 10; // USER_HZ is 100 on Linux

  static ServerCpu read(long pid) throws IOException {
    long total = 0;
    long jit = 0;
    Path folder = Path.of("/proc/" + pid + "/task");
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(folder)) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (NoSuchFileException ended) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        total += ticks;
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
          jit += ticks;
        }
      }
    }
    return new ServerCpu(total * MILLIS_PER_TICK, jit * MILLIS_PER_TICK);
  }

  ServerCpu minus(ServerCpu earlier) {
    return new ServerCpu(totalMillis - earlier.totalMillis, jitMillis - earlier.jitMillis);
  }
}
