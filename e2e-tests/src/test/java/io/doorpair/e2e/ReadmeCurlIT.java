package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Runs the README's "Pairing by hand with curl and openssl" block, then its "The access flow by
 * hand with curl" block, as written, in one shell against {@code bin/portal serve}: the
 * documentation cannot drift from what the portal does.
 */
class ReadmeCurlIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String PAIRING = "## Pairing by hand with curl and openssl";
  static final String ACCESS_FLOW = "## The access flow by hand with curl";

  static String readmeBlock() throws Exception {
    return readmeBlock(PAIRING);
  }

  /** The first {@code sh} block after the README heading {@code heading}. */
  static String readmeBlock(String heading) throws Exception {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    int section = readme.indexOf(heading);
    assertThat(section).as("README section " + heading).isNotNegative();
    Matcher block = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(block.find(section)).as("a sh block in the section").isTrue();
    return block.group(1);
  }

  @Test
  void the_readme_curl_walk_through_pairs_and_runs_the_access_flow(TestInfo info) throws Exception {
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
      String script =
          (readmeBlock(PAIRING) + "\n" + readmeBlock(ACCESS_FLOW))
              .replace("https://127.0.0.1:8443", ready.api());
      ActorProcess.Result result =
          ActorProcess.runCommand(
              work,
              "",
              Duration.ofMinutes(2),
              Map.of(),
              List.of("bash", "-euo", "pipefail", "-c", script));
      assertThat(result.exit())
          .as(
              result.output()
                  + "\n(portal process "
                  + (portal.onExit().isDone() ? "had exited" : "still running")
                  + ")\n"
                  + portal.tail())
          .isZero();

      JsonNode app = JSON.readTree(work.resolve("app-answer.json").toFile());
      assertThat(app.get("gruu").asText()).startsWith("sip:alice@portal.localhost;gr=urn:uuid:");
      JsonNode gateway = JSON.readTree(work.resolve("gw-answer.json").toFile());
      assertThat(gateway.get("domain").asText()).matches("[a-z0-9]{12}");
      assertThat(result.output())
          .contains("\"common_name\":\"alice@portal.localhost\"")
          .contains("\"common_name\":\"ipgw@" + gateway.get("domain").asText() + "\"");
      checkAccessFlow(work, result.output(), gateway.get("domain").asText());
    }
  }

  /** What the access-flow block must have left behind. */
  private static void checkAccessFlow(Path work, String output, String domain) throws Exception {
    assertThat(output)
        .contains("\"domain\":\"" + domain + "\"")
        .contains("\"role\":\"owner\"")
        .contains("\"stored\":1,\"duplicates\":0")
        .contains("\"stored\":0,\"duplicates\":1")
        .contains("the app holds the gateway's SIP password");

    JsonNode request = JSON.readTree(work.resolve("request.json").toFile());
    assertThat(request.get("status").asText()).isEqualTo("pending");
    assertThat(request.get("domain").asText()).isEqualTo(domain);

    JsonNode channel = JSON.readTree(work.resolve("channel.json").toFile());
    assertThat(channel.get("items")).hasSize(1);
    assertThat(channel.get("items").get(0).get("type").asText()).isEqualTo("request");
    assertThat(channel.get("items").get(0).get("request").get("request_id").asLong())
        .isEqualTo(request.get("request_id").asLong());

    // The hash the block printed is the one common-crypto computes from the certificate.
    X509Certificate requester =
        Pem.parseCertificate(Files.readString(work.resolve("requester.pem")));
    assertThat(output).contains(PublicKeyHash.of(requester));
    assertThat(requester)
        .isEqualTo(Pem.parseCertificate(Files.readString(work.resolve("app.pem"))));

    JsonNode account = JSON.readTree(work.resolve("account.json").toFile());
    assertThat(account.get("status").asText()).isEqualTo("approved");
    assertThat(account.get("sip_username").asText()).isEqualTo("alice-phone");
    assertThat(account.get("gruu").asText())
        .isEqualTo(channel.get("items").get(0).get("request").get("gruu").asText());
    // The Java decryption agrees with openssl's.
    PrivateKey appKey = Pem.parsePrivateKey(Files.readString(work.resolve("app-key.pem")));
    assertThat(
            SipPasswordCipher.decrypt(account.get("encrypted_password").asText(), appKey).reveal())
        .isEqualTo(Files.readString(work.resolve("password.txt")))
        .hasSize(24);

    JsonNode events = JSON.readTree(work.resolve("events-page.json").toFile());
    assertThat(events.get("events")).hasSize(1);
    JsonNode event = events.get("events").get(0);
    assertThat(event.get("id").asText()).isEqualTo("ev-1");
    assertThat(event.get("domain").asText()).isEqualTo(domain);
    assertThat(event.get("payload"))
        .isEqualTo(JSON.readTree("{\"call\":\"missed\",\"door\":\"Front\"}"));
    assertThat(output).contains("{\"events\":[],");
  }
}
