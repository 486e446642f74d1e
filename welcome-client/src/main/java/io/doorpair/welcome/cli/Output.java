package io.doorpair.welcome.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;

/** Prints a command's result as text or, with {@code --json}, as one JSON document. */
final class Output {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  PrintWriter writer() {
    return out;
  }

  /** Prints {@code value} as JSON when asked for JSON, else {@code text}. */
  void print(Object value, String text) {
    if (json) {
      try {
        out.println(JSON.writeValueAsString(value));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot print JSON", e);
      }
    } else {
      out.print(text);
      if (!text.isEmpty() && !text.endsWith("\n")) {
        out.println();
      }
    }
    out.flush();
  }
}
