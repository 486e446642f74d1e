package io.doorpair.ipgw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.ipgw.accounts.B2bSignal;
import io.doorpair.ipgw.requests.CodeOutcome;
import io.doorpair.ipgw.requests.DecisionException;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.ipgw.testing.TestApp;
import io.doorpair.ipgw.testing.TestGateway;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.RequestStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled core with its threads, against a real portal: the owner's journey without a UI, and
 * no secret (passwords, the gateway key) in what it logs.
 */
class GatewayCoreTest {
  private static final String PASSWORD = "password1";

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  @Test
  void pair_request_approve_code_and_events_with_the_threads_running() throws Exception {
    String owner = Actors.newUser(portal, "owner", PASSWORD);
    GatewayCore.Settings settings = settings();
    String domain;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    List<String> secrets = new ArrayList<>();
    try (GatewayCore core = GatewayCore.start(settings)) {
      assertThat(core.pairing()).isEmpty();
      assertThatThrownBy(core::decisions)
          .isInstanceOf(DecisionException.class)
          .hasFieldOrPropertyWithValue("code", DecisionException.NOT_PAIRED);

      domain = core.pair(owner, PASSWORD.toCharArray(), "Location: Loft").domain();
      TestApp app = TestApp.pair(portal, owner, PASSWORD);
      app.client().createSipAccount(domain);
      await(() -> !core.decisions().pending().isEmpty());
      StoredRequest request = core.decisions().pending().get(0);

      core.decisions().approve(request.requestId(), Rights.ALL);
      var approved = app.client().approvedAccount(domain, Optional.empty());
      assertThat(approved.status()).isEqualTo(RequestStatus.APPROVED);
      secrets.add(approved.encryptedPassword());
      SecurityCode code = SecurityCode.generate(request.keyHash(), new SecureRandom());
      assertThat(core.decisions().enterCode(request.requestId(), code.value()).result())
          .isEqualTo(CodeOutcome.Result.ENABLED);

      await(() -> events(app).size() == 2);
      assertThat(events(app)).extracting(DeliveredEvent::kind).containsExactly("accounts", "acl");

      secrets.add(core.pairing().orElseThrow().b2bPassword().reveal());
      secrets.add(core.decisions().accounts().get(0).password().reveal());
      secrets.add(PASSWORD);
      secrets.add("PRIVATE KEY");
      secrets.add(portal.portal().store().findUser(owner).orElseThrow().ha1Sha256());
      secrets.add(portal.portal().store().findUser(owner).orElseThrow().ha1Md5());
      String agent = core.pairing().orElseThrow().agentPem();
      secrets.add(agent.split("\n")[1]);
    } finally {
      System.setErr(stderr);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("gateway paired as ipgw@" + domain);
    assertThat(secrets).allSatisfy(secret -> assertThat(logged).doesNotContain(secret));

    GatewayPaths paths = GatewayPaths.under(settings.root());
    Files.delete(paths.aclList());
    try (GatewayCore again = GatewayCore.start(settings)) {
      assertThat(again.pairing()).map(p -> p.domain()).contains(domain);
      assertThat(AclList.parse(Files.readString(paths.aclList()))).containsExactly(owner);
      assertThat(again.decisions().accounts()).hasSize(1);
    }
  }

  private GatewayCore.Settings settings() {
    return new GatewayCore.Settings(
        dir.resolve("root"),
        dir.resolve("data"),
        portal.client(),
        TestGateway.SETTINGS,
        B2bSignal.NONE,
        Duration.ofSeconds(5),
        Duration.ofMillis(50),
        Duration.ofMillis(500));
  }

  private static List<DeliveredEvent> events(TestApp app) {
    EventPage page = app.client().events(Optional.empty(), Optional.empty(), 100);
    return page.events();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition before the deadline").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
