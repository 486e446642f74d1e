package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Runs the README's "Pairing by hand with curl and openssl" block, as written, against {@code
 * bin/portal serve}: the documentation cannot drift from what the portal does.
 */
class ReadmeCurlIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  static String readmeBlock() throws Exception {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    int section = readme.indexOf("## Pairing by hand with curl and openssl");
    assertThat(section).as("README section").isNotNegative();
    Matcher block = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(block.find(section)).as("a sh block in the section").isTrue();
    return block.group(1);
  }

  @Test
  void the_readme_curl_walk_through_pairs_an_app_and_a_gateway(TestInfo info) throws Exception {
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Files.createSymbolicLink(work.resolve("bin"), Repo.root().resolve("bin"));
    try (ActorProcess portal =
        ActorProcess.start(
            "portal",
            work,
            Map.of(),
            "portal",
            "serve",
            "--api=127.0.0.1:0",
            "--sip=127.0.0.1:0")) {
      ReadyFile ready =
          portal.awaitReady(work.resolve("portal-data/ready.json"), Duration.ofSeconds(60));
      String script = readmeBlock().replace("https://127.0.0.1:8443", ready.api());
      ActorProcess.Result result =
          ActorProcess.runCommand(
              work,
              "",
              Duration.ofMinutes(2),
              Map.of(),
              List.of("bash", "-euo", "pipefail", "-c", script));
      assertThat(result.exit()).as(result.output() + "\n" + portal.tail()).isZero();

      JsonNode app = JSON.readTree(work.resolve("app-answer.json").toFile());
      assertThat(app.get("gruu").asText()).startsWith("sip:alice@portal.localhost;gr=urn:uuid:");
      JsonNode gateway = JSON.readTree(work.resolve("gw-answer.json").toFile());
      assertThat(gateway.get("domain").asText()).matches("[a-z0-9]{12}");
      assertThat(result.output())
          .contains("\"common_name\":\"alice@portal.localhost\"")
          .contains("\"common_name\":\"ipgw@" + gateway.get("domain").asText() + "\"");
    }
  }
}
