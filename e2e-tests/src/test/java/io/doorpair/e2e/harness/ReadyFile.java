package io.doorpair.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What a program writes to {@code ready.json} once it listens: its pid and addresses.
 *
 * @param pid the process id
 * @param api the HTTPS API base URL, when the program has one
 * @param json the whole document
 */
public record ReadyFile(long pid, String api, JsonNode json) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static ReadyFile read(Path file) throws IOException {
    JsonNode node = MAPPER.readTree(file.toFile());
    return new ReadyFile(node.path("pid").asLong(-1), node.path("api").asText(""), node);
  }
}
