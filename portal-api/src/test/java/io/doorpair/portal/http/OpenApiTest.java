package io.doorpair.portal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAPI document names exactly the routes the server has, and the server serves it. */
class OpenApiTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension();

  @Test
  void the_document_and_the_routes_agree() throws Exception {
    JsonNode paths = Json.MAPPER.readTree(OpenApi.document()).get("paths");
    Set<String> documented = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
        documented.add(methods.next().toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }
    Set<String> served =
        PORTAL.portal().api().routes().stream()
            .map(r -> r.method() + " " + r.path())
            .collect(Collectors.toSet());
    assertThat(documented).isEqualTo(served);
  }

  @Test
  void every_reference_resolves_and_every_operation_answers_errors_as_api_errors()
      throws Exception {
    JsonNode document = Json.MAPPER.readTree(OpenApi.document());
    List<String> refs = new ArrayList<>();
    collectRefs(document, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
    for (JsonNode path : document.get("paths")) {
      for (JsonNode operation : path) {
        assertThat(operation.has("summary")).isTrue();
        assertThat(operation.has("security")).isTrue();
        assertThat(operation.get("responses").size()).isPositive();
      }
    }
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              field -> {
                if (field.getKey().equals("$ref")) {
                  refs.add(field.getValue().asText());
                } else {
                  collectRefs(field.getValue(), refs);
                }
              });
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }

  @Test
  void the_portal_serves_its_document() throws Exception {
    RawApi.Exchange answer = RawApi.anonymous(PORTAL).get("/api/openapi.json");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(answer.body()).get("openapi").asText()).startsWith("3.");
  }

  @Test
  void unknown_endpoints_answer_json_404() {
    RawApi.Exchange answer = RawApi.anonymous(PORTAL).get("/api/nothing-here");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body()).contains("\"error\":\"not_found\"");
  }
}
