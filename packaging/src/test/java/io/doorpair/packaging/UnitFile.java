package io.doorpair.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A systemd unit file read as sections of {@code Key=value} lines (comments skipped). */
final class UnitFile {
  private final Map<String, List<Map.Entry<String, String>>> sections = new LinkedHashMap<>();

  private UnitFile() {}

  static UnitFile read(Path file) {
    UnitFile unit = new UnitFile();
    List<Map.Entry<String, String>> current = null;
    try {
      for (String raw : Files.readAllLines(file)) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        if (line.startsWith("[") && line.endsWith("]")) {
          current = new ArrayList<>();
          unit.sections.put(line.substring(1, line.length() - 1), current);
        } else if (current != null && line.contains("=")) {
          int eq = line.indexOf('=');
          current.add(Map.entry(line.substring(0, eq).strip(), line.substring(eq + 1).strip()));
        } else {
          throw new IllegalArgumentException(file + ": a line outside a section: " + raw);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return unit;
  }

  boolean hasSection(String section) {
    return sections.containsKey(section);
  }

  /** Every value of {@code key} in {@code section}, in order. */
  List<String> values(String section, String key) {
    return sections.getOrDefault(section, List.of()).stream()
        .filter(e -> e.getKey().equals(key))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** The one value of {@code key} in {@code section}. */
  String value(String section, String key) {
    List<String> values = values(section, key);
    if (values.size() != 1) {
      throw new AssertionError("[" + section + "] " + key + "= set " + values.size() + " times");
    }
    return values.get(0);
  }
}
