package io.doorpair.portal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated JSON bodies for the new endpoints, posted to a real portal over HTTPS: never a
 * 5xx, and nothing stored unless the body is valid.
 */
class AccessBodiesPropertiesTest {
  private static final String PASSWORD = "properties password";
  private static final SecureRandom SECURE = new SecureRandom();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] CHARS = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    " ",
    "0",
    "-1",
    "1e999",
    "null",
    "true",
    "é",
    "\u0000",
    "\u2028",
    "\uD83D\uDE00",
    "a",
    "=",
    "/",
    "+"
  };

  private static PortalExtension portal;
  private static Device gateway;
  private static Device phone;
  private static RawApi gatewayApi;
  private static RawApi phoneApi;
  private static String domain;
  private static String validCiphertext;
  private static long pending;

  @BeforeContainer
  static void start() throws Exception {
    portal = new PortalExtension();
    portal.start();
    portal.addUser("prop", PASSWORD);
    gateway = Actors.gateway(portal, "prop", PASSWORD);
    domain = gateway.domain().orElseThrow();
    gatewayApi = gateway.on(portal);
    newPendingRequest();
  }

  @AfterContainer
  static void stop() throws Exception {
    portal.stop();
  }

  /** A new device asks, so that a valid approval or denial leaves a pending request to try on. */
  private static void newPendingRequest() {
    phone = Actors.app(portal, "prop", PASSWORD);
    phoneApi = phone.on(portal);
    RawApi.Exchange created = phoneApi.get("/api/create_sip_account/" + domain);
    pending = RawApi.json(created).get("request_id").asLong();
    validCiphertext =
        SipPasswordCipher.encrypt(
            SipPassword.generate(SECURE), phone.certificate().getPublicKey(), SECURE);
  }

  private static PortalStore store() {
    return portal.portal().store();
  }

  // --- approvals and denials -------------------------------------------------------------------

  @Property(tries = 200)
  void approval_bodies_never_fail_the_server_nor_approve_unless_valid(
      @ForAll("approvalMutations") Mutation mutation) throws Exception {
    String body = mutation.apply(validApproval());
    RawApi.Exchange answer =
        gatewayApi.postJson("/api/gateway/requests/" + pending + "/approve", body);
    assertThat(answer.status()).as(body + " -> " + answer.body()).isBetween(200, 499);
    AccessRequest request = store().findRequest(pending).orElseThrow();
    if (answer.status() == 200) {
      JsonNode sent = Json.MAPPER.readTree(body);
      assertThat(sent.get("gruu").asText()).isEqualTo(phone.gruu().orElseThrow());
      // The portal cannot decrypt: a mutation that keeps the ciphertext canonical base64 of the
      // modulus length (say, one character dropped and another inserted) is approved, as it must.
      String ciphertext = sent.get("encrypted_password").asText();
      byte[] bytes = Base64.getDecoder().decode(ciphertext);
      assertThat(Base64.getEncoder().encodeToString(bytes)).isEqualTo(ciphertext);
      assertThat(bytes).hasSameSizeAs(Base64.getDecoder().decode(validCiphertext));
      assertThat(request.status()).isEqualTo(AccessRequest.Status.APPROVED);
      assertThat(request.account().orElseThrow().encryptedPassword()).isEqualTo(ciphertext);
      newPendingRequest();
    } else {
      assertThat(RawApi.json(answer).get("error").asText()).isNotBlank();
      assertThat(request.status()).isEqualTo(AccessRequest.Status.PENDING);
    }
  }

  @Property(tries = 100)
  void denial_bodies_never_fail_the_server_nor_deny_unless_empty(
      @ForAll("denialMutations") Mutation mutation) throws Exception {
    String body = mutation.apply(NODES.objectNode());
    RawApi.Exchange answer =
        gatewayApi.postJson("/api/gateway/requests/" + pending + "/deny", body);
    assertThat(answer.status()).as(body + " -> " + answer.body()).isBetween(200, 499);
    AccessRequest request = store().findRequest(pending).orElseThrow();
    if (answer.status() == 200) {
      assertThat(Json.MAPPER.readTree(body)).isEqualTo(NODES.objectNode());
      assertThat(request.status()).isEqualTo(AccessRequest.Status.DENIED);
      newPendingRequest();
    } else {
      assertThat(request.status()).isEqualTo(AccessRequest.Status.PENDING);
    }
  }

  // --- event batches -----------------------------------------------------------------------------

  @Property(tries = 200)
  void event_batches_never_fail_the_server_nor_store_unless_valid(
      @ForAll("batchMutations") Mutation mutation) throws Exception {
    String body = mutation.apply(validBatch());
    long before = store().eventHead(domain);
    RawApi.Exchange answer = gatewayApi.postJson("/api/gateway/events", body);
    assertThat(answer.status()).as(body + " -> " + answer.body()).isBetween(200, 499);
    long after = store().eventHead(domain);
    if (answer.status() == 200) {
      JsonNode result = RawApi.json(answer);
      JsonNode events = Json.MAPPER.readTree(body).get("events");
      assertThat(result.get("stored").asInt() + result.get("duplicates").asInt())
          .isEqualTo(events.size());
      assertThat(after - before).isEqualTo(result.get("stored").asLong());
    } else {
      assertThat(after).isEqualTo(before);
    }
  }

  @Property(tries = 150)
  void event_cursors_never_fail_the_server(@ForAll("cursors") String cursor) {
    RawApi.Exchange answer =
        phoneApi.get(
            "/api/events?cursor="
                + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(answer.status()).as(cursor + " -> " + answer.body()).isIn(200, 400);
  }

  // --- generators ----------------------------------------------------------------------------

  private static ObjectNode validApproval() {
    ObjectNode body = NODES.objectNode();
    body.put("sip_username", "app-1");
    body.put("encrypted_password", validCiphertext);
    body.put("gruu", phone.gruu().orElseThrow());
    return body;
  }

  private static int eventIds;

  private static ObjectNode validBatch() {
    ObjectNode body = NODES.objectNode();
    ArrayNode events = body.putArray("events");
    for (int i = 0; i < 3; i++) {
      ObjectNode event = events.addObject();
      event.put("id", "p" + ++eventIds);
      event.put("kind", "journal");
      event.put("at", "2026-12-04T10:00:00Z");
      event.putObject("payload").put("n", i);
    }
    return body;
  }

  /** A change to a valid body, applied to a fresh copy of it. */
  interface Mutation {
    String apply(ObjectNode valid);
  }

  @Provide
  Arbitrary<Mutation> approvalMutations() {
    return mutations();
  }

  @Provide
  Arbitrary<Mutation> denialMutations() {
    return mutations();
  }

  @Provide
  Arbitrary<Mutation> batchMutations() {
    return mutations();
  }

  @Provide
  Arbitrary<String> cursors() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(80),
        Arbitraries.strings()
            .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
            .ofMaxLength(120),
        Arbitraries.randomValue(
            random ->
                Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                        textMutation("{\"" + domain + "\":0,\"abcdefghijkl\":3}", random)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  private static Arbitrary<Mutation> mutations() {
    Arbitrary<Mutation> none = Arbitraries.just(valid -> valid.toString());
    Arbitrary<Mutation> tree =
        Arbitraries.randomValue(
            random ->
                valid -> {
                  int rounds = 1 + random.nextInt(3);
                  for (int i = 0; i < rounds; i++) {
                    mutateTree(valid, random);
                  }
                  return valid.toString();
                });
    Arbitrary<Mutation> text =
        Arbitraries.randomValue(random -> valid -> textMutation(valid.toString(), random));
    Arbitrary<Mutation> noise =
        Arbitraries.strings().ofMaxLength(60).map(s -> (Mutation) valid -> s);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, none),
        net.jqwik.api.Tuple.of(6, tree),
        net.jqwik.api.Tuple.of(4, text),
        net.jqwik.api.Tuple.of(2, noise));
  }

  private static String textMutation(String text, Random random) {
    StringBuilder out = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && out.length() > 0; i++) {
      int at = random.nextInt(out.length());
      switch (random.nextInt(3)) {
        case 0 -> out.deleteCharAt(at);
        case 1 -> out.insert(at, CHARS[random.nextInt(CHARS.length)]);
        default -> out.setLength(at);
      }
    }
    return out.toString();
  }

  private static void mutateTree(JsonNode root, Random random) {
    List<ObjectNode> objects = new ArrayList<>();
    collectObjects(root, objects);
    ObjectNode target = objects.get(random.nextInt(objects.size()));
    List<String> names = new ArrayList<>();
    target.fieldNames().forEachRemaining(names::add);
    String name =
        names.isEmpty() || random.nextInt(5) == 0
            ? List.of("extra", "id", "kind", "gruu", "payload", "events").get(random.nextInt(6))
            : names.get(random.nextInt(names.size()));
    if (random.nextInt(4) == 0) {
      target.remove(name);
    } else {
      target.set(name, randomValue(random, 0));
    }
  }

  private static void collectObjects(JsonNode node, List<ObjectNode> into) {
    if (node instanceof ObjectNode object) {
      into.add(object);
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collectObjects(it.next(), into);
    }
  }

  private static JsonNode randomValue(Random random, int depth) {
    int choice = random.nextInt(depth > 3 ? 9 : 12);
    return switch (choice) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.numberNode(random.nextLong());
      case 2 -> NODES.numberNode(random.nextDouble() * 1e300);
      case 3 -> NODES.booleanNode(random.nextBoolean());
      case 4 -> NODES.textNode("");
      case 5 -> NODES.textNode("x".repeat(random.nextInt(5000)));
      case 6 ->
          NODES.textNode(
              List.of("journal", "acl", "2026-12-04T10:00:00Z", "app-1", "é\u0000")
                  .get(random.nextInt(5)));
      case 7 -> NODES.numberNode(new java.math.BigInteger(200, random));
      case 8 -> NODES.textNode(Long.toString(random.nextLong()));
      case 9 -> {
        ArrayNode array = NODES.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          array.add(randomValue(random, depth + 1));
        }
        yield array;
      }
      case 10 -> {
        ObjectNode object = NODES.objectNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          object.set("k" + random.nextInt(5), randomValue(random, depth + 1));
        }
        yield object;
      }
      default -> {
        JsonNode deep = NODES.numberNode(1);
        for (int i = 0; i < 5 + random.nextInt(30); i++) {
          deep = NODES.arrayNode().add(deep);
        }
        yield deep;
      }
    };
  }
}
