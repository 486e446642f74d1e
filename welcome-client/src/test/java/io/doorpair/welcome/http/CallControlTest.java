package io.doorpair.welcome.http;

import static io.doorpair.welcome.http.MockPortal.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Timeouts and cancellation. No assertion depends on the machine's speed: a portal that never
 * answers, or one that answers well inside the deadline; generous guards only against hanging.
 */
class CallControlTest {
  private static final Duration GUARD = Duration.ofSeconds(30);
  private static final String EMPTY_CHANNEL = "{\"items\":[],\"cursor\":0}";

  @RegisterExtension final MockPortal portal = new MockPortal();

  @Test
  void a_long_poll_gets_the_call_and_read_timeouts_plus_its_wait() {
    PortalClient client = portal.as(MockPortal.GATEWAY, Duration.ofSeconds(5));

    OkHttpClient immediate = client.waiting(Optional.empty());
    OkHttpClient held = client.waiting(Optional.of(60));

    assertThat(immediate.callTimeoutMillis()).isEqualTo(5_000);
    assertThat(immediate.readTimeoutMillis()).isEqualTo(5_000);
    assertThat(held.callTimeoutMillis()).isEqualTo(65_000);
    assertThat(held.readTimeoutMillis()).isEqualTo(65_000);
    assertThat(held.dispatcher()).isSameAs(immediate.dispatcher());
    assertThat(held.connectionPool()).isSameAs(immediate.connectionPool());
  }

  @Test
  void a_portal_holding_a_long_poll_past_the_call_timeout_is_not_cut_off() {
    // Call timeout 1 s; the portal answers after 3 s, inside a wait of 30 s.
    portal.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(EMPTY_CHANNEL)
            .setHeadersDelay(3, TimeUnit.SECONDS));
    PortalClient client = portal.as(MockPortal.GATEWAY, Duration.ofSeconds(1));

    assertThat(client.channel(0, Optional.of(Duration.ofSeconds(30)), 100).items()).isEmpty();
  }

  @Test
  void a_portal_that_never_answers_is_a_timeout() {
    portal.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    PortalClient client = portal.as(MockPortal.GATEWAY, Duration.ofSeconds(1));

    assertThatThrownBy(() -> client.channel(0, Optional.empty(), 100))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo(PortalException.TIMEOUT);
              assertThat(e.status()).isZero();
            });
  }

  @Test
  void interrupting_the_caller_cancels_a_held_long_poll_at_once() throws Exception {
    portal.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    portal.enqueueJson(200, EMPTY_CHANNEL);
    // A call timeout of 10 minutes: only the interrupt can end this call within the guard.
    PortalClient client = portal.as(MockPortal.GATEWAY, Duration.ofMinutes(10));
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    AtomicBoolean flagKept = new AtomicBoolean();
    Thread poller =
        new Thread(
            () -> {
              try {
                client.channel(0, Optional.of(Duration.ofSeconds(60)), 100);
                outcome.complete(null);
              } catch (Throwable t) {
                flagKept.set(Thread.currentThread().isInterrupted());
                outcome.complete(t);
              }
            });
    poller.start();
    portal.take(); // the long-poll is at the portal

    poller.interrupt();

    Throwable thrown = outcome.get(GUARD.toSeconds(), TimeUnit.SECONDS);
    assertThat(thrown)
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo(PortalException.CANCELLED));
    assertThat(flagKept).isTrue();
    // The client is still usable.
    assertThat(client.channel(0, Optional.empty(), 100).cursor()).isZero();
  }

  @Test
  void an_interrupted_thread_sends_nothing() {
    PortalClient client = portal.app();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> client.createSipAccount(DOMAIN))
          .isInstanceOfSatisfying(
              PortalException.class,
              e -> assertThat(e.code()).isEqualTo(PortalException.CANCELLED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(portal.server.getRequestCount()).isZero();
  }

  @Test
  void a_server_error_without_json_gets_a_generic_code() {
    portal.enqueue(new MockResponse().setResponseCode(502).setBody("<html>bad gateway</html>"));

    assertThatThrownBy(() -> portal.app().joinableGateways())
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.code()).isEqualTo("http_502");
            });
  }

  @Test
  void dispatcher_threads_do_not_keep_a_program_alive() throws Exception {
    portal.enqueueJson(200, "[]");
    AtomicBoolean daemon = new AtomicBoolean();
    PortalClient client = portal.app();

    client.joinableGateways();

    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("doorpair-portal-client-")) {
        daemon.set(true);
        assertThat(t.isDaemon()).as(t.getName()).isTrue();
      }
    }
    assertThat(daemon).as("a dispatcher thread ran the call").isTrue();
  }
}
