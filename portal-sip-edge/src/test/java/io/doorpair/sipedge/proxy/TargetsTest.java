package io.doorpair.sipedge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.InMemoryBindings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TargetsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final UUID PHONE = UUID.fromString("11111111-2222-3333-4444-555555555555");
  private static final UUID TABLET = UUID.fromString("66666666-7777-8888-9999-000000000000");
  private final InMemoryBindings bindings = new InMemoryBindings();
  private final Targets targets =
      new Targets("Portal.Test", bindings, Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeEach
  void register() {
    bindings.put(device("alice@portal.test", PHONE, "sip:phone@10.0.0.1", "tls:127.0.0.1:1001"));
    bindings.put(device("alice@portal.test", TABLET, "sip:tab@10.0.0.2", "tls:127.0.0.1:1002"));
    bindings.put(
        new Binding(
            "ipgw@abcdefghijkl",
            "ipgw@abcdefghijkl",
            "sip:ipgw@10.0.0.3",
            Optional.empty(),
            "tls:127.0.0.1:1003",
            NOW.plusSeconds(600)));
    bindings.put(
        new Binding(
            "bob@portal.test",
            "urn:uuid:" + UUID.randomUUID(),
            "sip:old@10.0.0.4",
            Optional.empty(),
            "tls:127.0.0.1:1004",
            NOW.minusSeconds(1)));
  }

  private static Binding device(String aor, UUID instance, String contact, String flow) {
    return new Binding(
        aor, "urn:uuid:" + instance, contact, Optional.of(instance), flow, NOW.plusSeconds(600));
  }

  private static RequestUri uri(String user, String host, String gr) {
    return new RequestUri(
        "sip:" + user + "@" + host, user, host, Optional.ofNullable(gr).map(String::valueOf));
  }

  @Test
  void user_at_the_portal_domain_forks_to_every_device_over_its_own_flow() {
    assertThat(targets.resolve(uri("ALICE", "portal.TEST", null)))
        .extracting(Target::flow, Target::requestUri)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("tls:127.0.0.1:1001", "sip:phone@10.0.0.1"),
            org.assertj.core.groups.Tuple.tuple("tls:127.0.0.1:1002", "sip:tab@10.0.0.2"));
  }

  @Test
  void gruu_reaches_only_that_device() {
    assertThat(targets.resolve(uri("alice", "portal.test", "urn:uuid:" + TABLET)))
        .extracting(Target::flow)
        .containsExactly("tls:127.0.0.1:1002");
    assertThat(targets.resolve(uri("alice", "portal.test", "urn:uuid:" + UUID.randomUUID())))
        .isEmpty();
    assertThat(targets.resolve(uri("alice", "portal.test", "garbage"))).isEmpty();
    assertThat(targets.resolve(uri("alice", "portal.test", ""))).isEmpty();
  }

  @Test
  void any_user_at_a_gateway_domain_goes_to_that_gateway_with_the_uri_unchanged() {
    assertThat(targets.resolve(uri("door", "ABCDEFGHIJKL", null)))
        .extracting(Target::flow, Target::requestUri)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tls:127.0.0.1:1003", "sip:door@ABCDEFGHIJKL"));
  }

  @Test
  void nobody_reachable_gives_no_target() {
    assertThat(targets.resolve(uri("bob", "portal.test", null))).as("expired").isEmpty();
    assertThat(targets.resolve(uri("carol", "portal.test", null))).as("unknown").isEmpty();
    assertThat(targets.resolve(uri("door", "other-gateway", null))).isEmpty();
    assertThat(
            targets.resolve(new RequestUri("sip:portal.test", "", "portal.test", Optional.empty())))
        .isEmpty();
  }

  @Test
  void portal_domain_is_compared_case_insensitively() {
    assertThat(targets.isPortalDomain("PORTAL.test")).isTrue();
    assertThat(targets.isPortalDomain("portal.test.evil")).isFalse();
    assertThat(targets.domain()).isEqualTo("portal.test");
  }

  @Test
  void a_device_of_another_running_node_is_reached_over_the_link_with_its_path() {
    InMemoryBindings shared = new InMemoryBindings();
    String path = "sip:tok.en@127.0.0.2:5061;transport=tls;lr";
    shared.put(
        device("carol@portal.test", PHONE, "sip:phone@10.0.0.9", "tls:127.0.0.1:2001")
            .onNode("node-2")
            .withPath(path));
    shared.put(
        device("carol@portal.test", TABLET, "sip:tab@10.0.0.8", "tls:127.0.0.1:2002")
            .onNode("node-3"));
    Targets linked =
        new Targets(
            "portal.test",
            shared,
            Clock.fixed(NOW, ZoneOffset.UTC),
            node -> true,
            node -> node.equals("node-2") ? Optional.of("tls:127.0.0.2:5061") : Optional.empty());
    assertThat(linked.resolve(uri("carol", "portal.test", null)))
        .as("node-3's binding has no Path: not reachable from here")
        .containsExactly(
            new Target(
                "tls:127.0.0.2:5061",
                "sip:phone@10.0.0.9",
                "carol@portal.test",
                Optional.of(path)));
    Targets unlinked =
        new Targets(
            "portal.test", shared, Clock.fixed(NOW, ZoneOffset.UTC), node -> true, NodeRoutes.NONE);
    assertThat(unlinked.resolve(uri("carol", "portal.test", null)))
        .as("no link to node-2: nobody reachable, 480 at once")
        .isEmpty();
  }
}
