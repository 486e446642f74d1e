package io.doorpair.ipgw.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.ipgw.RunningGateway;
import io.doorpair.ipgw.supervisor.B2bState;
import io.doorpair.ipgw.supervisor.B2bSupervision;
import io.doorpair.ipgw.testing.AdminClient;
import io.doorpair.ipgw.testing.B2bStates;
import io.doorpair.ipgw.testing.TestIpgw;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switch over HTTP as a browser without JavaScript uses it, with the real b2b as ipgw's
 * child: the page shows the state and pid; a POST without a session, or with a forged or missing
 * CSRF token, changes nothing; the owner's POSTs stop and start it.
 */
class KillSwitchSiteTest {
  private static final String PASSWORD = "password1";

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private RunningGateway gateway;
  private AdminClient admin;

  @BeforeEach
  void start() {
    gateway = TestIpgw.start(portal, dir, B2bSupervision.child(Optional.empty()));
    admin = new AdminClient(gateway.adminUrl());
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private B2bState awaitStatus(B2bState.Status status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (gateway.b2b().state().status() != status && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(gateway.b2b().state().status()).isEqualTo(status);
    return gateway.b2b().state();
  }

  @Test
  void forged_posts_change_nothing_and_the_owner_stops_and_starts_the_b2b() throws Exception {
    admin.login(TestIpgw.ADMIN_PASSWORD);
    assertThat(admin.get("/b2b").body()).contains("waiting for the gateway to be paired");
    String owner = Actors.newUser(portal, "owner", PASSWORD);
    gateway.core().pair(owner, PASSWORD.toCharArray(), "Location: Loft");
    long pid = B2bStates.awaitSteadyRunning(gateway.b2b());

    String page = admin.get("/b2b").body();
    assertThat(page)
        .contains("class=\"b2b-running\">running<")
        .contains("<span id=\"b2b-pid\">" + pid + "</span>")
        .contains("action=\"/b2b/stop\"")
        .contains("name=\"csrf\"");

    AdminClient anonymous = new AdminClient(gateway.adminUrl());
    anonymous.get("/login");
    assertThat(anonymous.post("/b2b/stop", Map.of()).statusCode()).isEqualTo(403);
    assertThat(admin.post("/b2b/stop", Map.of("csrf", "forged")).statusCode()).isEqualTo(403);
    assertThat(admin.post("/b2b/stop", Map.of("csrf", "")).statusCode()).isEqualTo(403);
    assertThat(gateway.b2b().state().pid()).contains(pid);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

    admin.get("/b2b");
    HttpResponse<String> stopped = admin.post("/b2b/stop", Map.of());
    assertThat(stopped.statusCode()).isEqualTo(303);
    assertThat(AdminClient.location(stopped)).contains("/b2b");
    assertThat(gateway.b2b().state().status()).isEqualTo(B2bState.Status.STOPPED);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(admin.get("/b2b").body())
        .contains("class=\"b2b-stopped\">stopped<")
        .contains("stopped by the owner")
        .contains("action=\"/b2b/start\"");

    assertThat(admin.post("/b2b/start", Map.of()).statusCode()).isEqualTo(303);
    long again = awaitStatus(B2bState.Status.RUNNING).pid().orElseThrow();
    assertThat(again).isNotEqualTo(pid);
    admin.get("/b2b");
    assertThat(admin.post("/b2b/explode", Map.of()).statusCode()).isEqualTo(404);
  }
}
