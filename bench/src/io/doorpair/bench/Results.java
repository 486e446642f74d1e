package io.doorpair.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measurements as {@code key=value} lines: each run prints its own to standard output (the script
 * appends them to one file), and {@code report} reads them all back to print the table.
 */
final class Results {
  private final Map<String, String> values = new LinkedHashMap<>();

  void put(String key, double value) {
    values.put(key, String.format(Locale.ROOT, "%.3f", value));
  }

  void put(String key, long value) {
    values.put(key, Long.toString(value));
  }

  void put(String key, String value) {
    values.put(key, value);
  }

  void print() {
    values.forEach((k, v) -> System.out.println(k + "=" + v));
  }

  static Map<String, String> read(Path file) throws IOException {
    Map<String, String> read = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file);
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        read.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return read;
  }

  /** The p-th percentile (nearest rank) of sorted values. */
  static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
