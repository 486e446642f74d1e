package io.doorpair.sipedge;

import static io.doorpair.sipedge.NodesOnRedis.awaitLink;
import static io.doorpair.sipedge.NodesOnRedis.contactOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Request;
import io.doorpair.sipedge.testing.SipTlsClient.Response;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Two SIP nodes on one real Redis, each with a node certificate (serverAuth and clientAuth): a
 * device registered on one node reaches a device registered on the other through the node-to-node
 * mutual-TLS link and the Path the holding node recorded, dialogs included; a Path or node header
 * forged by a device is never trusted; only a running node's node certificate may send requests as
 * a node; a node that stops makes calls to its devices fail at once, and a device that registers
 * again on the running node is reached there.
 */
class NodeRoutingTest {
  private static final String DOMAIN = NodesOnRedis.DOMAIN;
  private static final String GW_DOMAIN = "gwnodes12345";
  private static final TestPki PKI = TestPki.shared();

  /** Far above what a relayed answer takes, far below timer C or a 32 s transaction timeout. */
  private static final long FAST_MILLIS = 15_000;

  private NodesOnRedis nodes;

  @BeforeEach
  void redis() {
    nodes = new NodesOnRedis("test-nodes-");
  }

  @AfterEach
  void close() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  /** Registers {@code leaf}'s device (app: with its instance) over {@code client}; 200 expected. */
  private static void register(SipTlsClient client, Leaf leaf, String... extra) throws IOException {
    List<String> lines = new ArrayList<>(List.of("Expires: 600", "Supported: gruu"));
    lines.addAll(List.of(extra));
    NodesOnRedis.register(client, leaf, lines.toArray(String[]::new));
  }

  private static String invite(String requestUri, String from, String to) {
    return SipTlsClient.request(
        "INVITE",
        requestUri,
        from,
        to,
        "Contact: <sip:caller@192.0.2.30:5999;transport=tls>",
        "Supported: gruu");
  }

  private static String callId(String request) {
    for (String line : request.split("\r\n")) {
      if (line.startsWith("Call-ID:")) {
        return line.substring("Call-ID:".length()).trim();
      }
    }
    throw new IllegalArgumentException("no Call-ID");
  }

  @Test
  void responses_sent_together_over_a_link_reach_the_caller_in_order() throws Exception {
    // node 2 relays the app's 180 and 200 back over the link node 1 dialled: the stack's own
    // channel handed them to threads in turn, and the 200 could overtake the 180 or lose it
    RunningSipEdge one = nodes.start("node-1");
    RunningSipEdge two = nodes.start("node-2");
    awaitLink(one, "node-2");
    String user = "orla" + SipTlsClient.token().substring(0, 6);
    String aor = user + "@" + DOMAIN;
    Leaf app = PKI.issueClient(aor, Optional.of(UUID.randomUUID()));
    Leaf gateway = PKI.issueClient("ipgw@" + GW_DOMAIN, Optional.empty());
    SipTlsClient phone = nodes.connect(two, app);
    register(phone, app);
    SipTlsClient gw = nodes.connect(one, gateway);
    register(gw, gateway);
    for (int call = 0; call < 20; call++) {
      String invite = invite("sip:" + aor, "<sip:ipgw@" + GW_DOMAIN + ">", "<sip:" + aor + ">");
      gw.write(invite);
      Request ringing = phone.awaitRequest("INVITE");
      phone.write(
          SipTlsClient.response(ringing, 180, "Ringing", "tag-o")
              + SipTlsClient.response(
                  ringing,
                  200,
                  "OK",
                  "tag-o",
                  "Contact: <" + contactOf(user + "-" + DOMAIN) + ">"));
      String id = callId(invite);
      SipTlsClient.Message first =
          gw.poll(
                  m ->
                      m instanceof Response r && r.status() >= 180 && id.equals(r.first("Call-ID")),
                  FAST_MILLIS)
              .orElseThrow();
      assertThat(((Response) first).status()).as("call %d", call).isEqualTo(180);
      gw.awaitResponse(r -> r.status() == 200 && id.equals(r.first("Call-ID")));
    }
  }

  @Test
  void a_gateway_on_node_1_calls_an_app_on_node_2_answer_and_bye_both_ways() throws Exception {
    RunningSipEdge one = nodes.start("node-1");
    RunningSipEdge two = nodes.start("node-2");
    awaitLink(one, "node-2");
    awaitLink(two, "node-1");
    String user = "alma" + SipTlsClient.token().substring(0, 6);
    String aor = user + "@" + DOMAIN;
    UUID instance = UUID.randomUUID();
    Leaf app = PKI.issueClient(aor, Optional.of(instance));
    Leaf gateway = PKI.issueClient("ipgw@" + GW_DOMAIN, Optional.empty());
    SipTlsClient phone = nodes.connect(two, app);
    // a Path of its own making, pointing at node 1 with a made-up token: never trusted
    register(phone, app, "Path: <sip:forged.token@" + hostPort(one) + ";transport=tls;lr>");
    SipTlsClient gw = nodes.connect(one, gateway);
    register(gw, gateway);

    List<Binding> held = one.bindings().of(aor, Instant.now());
    assertThat(held).hasSize(1);
    assertThat(held.get(0).node()).isEqualTo("node-2");
    assertThat(held.get(0).path())
        .as("the Path node 2 made itself")
        .startsWith("sip:")
        .contains("@" + hostPort(two))
        .doesNotContain("forged");

    String invite = invite("sip:" + aor, "<sip:ipgw@" + GW_DOMAIN + ">", "<sip:" + aor + ">");
    long start = System.nanoTime();
    gw.write(invite);
    Request ringing = phone.awaitRequest("INVITE");
    assertThat(ringing.uri()).isEqualTo(contactOf(user + "-" + DOMAIN));
    List<String> appRoutes = routeSet(ringing.header("Record-Route"));
    assertThat(appRoutes).as("both nodes stay on the dialog").hasSize(2);
    assertThat(String.join("\n", ringing.headers())).doesNotContain("forged");
    assertThat(ringing.first("From")).contains("ipgw@" + GW_DOMAIN);
    phone.reply(ringing, 180, "Ringing", "tag-app");
    assertThat(gw.awaitResponse(180).status()).isEqualTo(180);
    phone.reply(ringing, 200, "OK", "tag-app", "Contact: <" + contactOf(user + "-" + DOMAIN) + ">");
    Response ok = gw.awaitResponse(200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .as("ms from INVITE to 200 through two nodes")
        .isLessThan(FAST_MILLIS);
    assertThat(ok.first("To")).contains("tag=tag-app");
    assertThat(ok.header("Via")).as("only the caller's Via is left").hasSize(1);
    List<String> routes = new ArrayList<>(routeSet(ok.header("Record-Route")));
    java.util.Collections.reverse(routes);
    assertThat(routes).hasSize(2);
    String remote = SipTlsClient.uriOf(ok.first("Contact"));
    String call = callId(invite);

    gw.write(
        SipTlsClient.inDialog("ACK", remote, routes, ok.first("From"), ok.first("To"), call, 1));
    Request ack = phone.awaitRequest("ACK");
    assertThat(ack.header("Route")).isEmpty();

    // the app hangs up: its route set is the INVITE's Record-Route, in order
    phone.write(
        SipTlsClient.inDialog(
            "BYE",
            "sip:caller@192.0.2.30:5999;transport=tls",
            appRoutes,
            ringing.first("To") + ";tag=tag-app",
            ringing.first("From"),
            call,
            1));
    Request bye = gw.awaitRequest("BYE");
    gw.reply(bye, 200, "OK", "unused");
    assertThat(phone.awaitResponse(200).first("CSeq")).contains("BYE");

    // and a MESSAGE to the app's GRUU, gateway to app
    String message =
        SipTlsClient.request(
            "MESSAGE",
            "sip:" + aor + ";gr=urn:uuid:" + instance,
            "<sip:ipgw@" + GW_DOMAIN + ">",
            "<sip:" + aor + ">");
    gw.write(message);
    Request received = phone.awaitRequest("MESSAGE");
    phone.reply(received, 200, "OK", "tag-m");
    assertThat(gw.awaitResponse(200).first("CSeq")).contains("MESSAGE");

    // and the app calls the gateway's DOMAIN: node 2 routes it to node 1
    String toDoor =
        invite("sip:door@" + GW_DOMAIN, "<sip:" + aor + ">", "<sip:door@" + GW_DOMAIN + ">");
    phone.write(toDoor);
    Request atGateway = gw.awaitRequest("INVITE");
    assertThat(atGateway.uri()).isEqualTo("sip:door@" + GW_DOMAIN);
    gw.reply(atGateway, 486, "Busy Here", "tag-gw");
    Response busy = phone.awaitResponse(486);
    phone.write(SipTlsClient.ackOf(toDoor, busy));
  }

  @Test
  void only_a_running_nodes_node_certificate_may_send_requests_as_a_node() throws Exception {
    RunningSipEdge one = nodes.start("node-1");
    RunningSipEdge two = nodes.start("node-2");
    awaitLink(one, "node-2");
    String user = "alva" + SipTlsClient.token().substring(0, 6);
    String aor = user + "@" + DOMAIN;
    Leaf app = PKI.issueClient(aor, Optional.of(UUID.randomUUID()));
    register(nodes.connect(two, app), app);
    String path = one.bindings().of(aor, Instant.now()).get(0).path();

    // an app certificate replaying node 2's Path: not a node, so the Path token opens nothing
    Leaf mallory = PKI.issueClient("mallory@" + DOMAIN, Optional.of(UUID.randomUUID()));
    Response asApp =
        nodes.connect(two, mallory).send(routed(contactOf(user), path, "mallory@" + DOMAIN));
    assertThat(asApp.status()).isEqualTo(403);

    // a node certificate of the CA that no running node announced
    Leaf stray = PKI.issueNode("stray.nodes.test", "127.0.0.1");
    Response asStray =
        nodes.connect(two, stray).send(routed(contactOf(user), path, "ipgw@" + GW_DOMAIN));
    assertThat(asStray.status()).isEqualTo(403);
    assertThat(asStray.reason()).isEqualTo("Not a running SIP node");

    // a node certificate may never register a device
    SipTlsClient strayAgain = nodes.connect(two, stray);
    Response registered =
        strayAgain.send(
            SipTlsClient.request(
                "REGISTER",
                "sip:" + DOMAIN,
                "<sip:stray.nodes.test@" + DOMAIN + ">",
                "<sip:stray.nodes.test@" + DOMAIN + ">",
                "Contact: <sip:x@192.0.2.1:5061;transport=tls>",
                "Expires: 600"));
    assertThat(registered.status()).isEqualTo(403);
    assertThat(two.bindings().of("stray.nodes.test@" + DOMAIN, Instant.now())).isEmpty();
  }

  @Test
  void a_node_gone_silent_fails_calls_to_its_devices_at_once_and_they_are_reached_on_node_1()
      throws Exception {
    RunningSipEdge one = nodes.start("node-1");
    RunningSipEdge two = nodes.start("node-2");
    awaitLink(one, "node-2");
    String user = "ambra" + SipTlsClient.token().substring(0, 6);
    String aor = user + "@" + DOMAIN;
    Leaf app = PKI.issueClient(aor, Optional.of(UUID.randomUUID()));
    Leaf gateway = PKI.issueClient("ipgw@" + GW_DOMAIN, Optional.empty());
    SipTlsClient gw = nodes.connect(one, gateway);
    register(gw, gateway);
    register(nodes.connect(two, app), app);

    int twoPort = two.sipAddress().getPort();
    two.close();
    // as if node 2 had died without a word: its heartbeat is still there (until it lapses), only
    // its connections are gone
    try (RedisClient client = TestRedis.client()) {
      client.set(
          nodes.prefix() + "node:node-2", "127.0.0.1:" + twoPort, SetParams.setParams().px(5000));
    }
    String invite = invite("sip:" + aor, "<sip:ipgw@" + GW_DOMAIN + ">", "<sip:" + aor + ">");
    long start = System.nanoTime();
    Response unavailable = gw.send(invite);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .as("ms to the answer for a device of a stopped node")
        .isLessThan(FAST_MILLIS);
    assertThat(unavailable.status()).isEqualTo(480);
    gw.write(SipTlsClient.ackOf(invite, unavailable));

    // the device registers again, on node 1 now, and the call goes through
    SipTlsClient phone = nodes.connect(one, app);
    register(phone, app);
    String again = invite("sip:" + aor, "<sip:ipgw@" + GW_DOMAIN + ">", "<sip:" + aor + ">");
    gw.write(again);
    Request ringing = phone.awaitRequest("INVITE");
    assertThat(routeSet(ringing.header("Record-Route"))).hasSize(1);
    phone.reply(ringing, 200, "OK", "tag-app", "Contact: <" + contactOf(user) + ">");
    assertThat(gw.awaitResponse(200).first("To")).contains("tag=tag-app");
  }

  /**
   * The URIs of Record-Route header values, in order (a line may hold several, comma-separated).
   */
  private static List<String> routeSet(List<String> lines) {
    List<String> uris = new ArrayList<>();
    for (String line : lines) {
      for (String part : line.split(",(?=\\s*<)")) {
        uris.add(SipTlsClient.uriOf(part.trim()));
      }
    }
    return uris;
  }

  /** A fresh INVITE for {@code contact} From {@code from}, with {@code route} as its Route. */
  private static String routed(String contact, String route, String from) {
    String invite = invite(contact, "<sip:" + from + ">", "<" + contact + ">");
    int firstLine = invite.indexOf("\r\n") + 2;
    return invite.substring(0, firstLine)
        + "Route: <"
        + route
        + ">\r\n"
        + invite.substring(firstLine);
  }

  private static String hostPort(RunningSipEdge edge) {
    return "127.0.0.1:" + edge.sipAddress().getPort();
  }
}
