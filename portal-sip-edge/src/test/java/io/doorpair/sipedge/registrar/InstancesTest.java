package io.doorpair.sipedge.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstancesTest {
  private static final UUID ID = UUID.fromString("0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<urn:uuid:0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d>",
        "\"<urn:uuid:0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d>\"",
        "<URN:UUID:0B1E2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D>",
      })
  void reads_the_instance(String value) {
    assertThat(Instances.parse(value)).contains(ID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "urn:uuid:0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "<urn:uuid:1-1-1-1-1>",
        "<urn:uuid:0b1e2c3d4e5f4a6b8c7d9e0f1a2b3c4d>",
        "<urn:foo:0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d>",
        "\"<urn:uuid:0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d>",
        "",
        "<>",
      })
  void refuses_anything_else(String value) {
    assertThat(Instances.parse(value)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice@portal.test"})
  void public_gruu_has_the_rfc_5627_form(String aor) {
    assertThat(Instances.publicGruu(aor, ID))
        .isEqualTo("sip:alice@portal.test;gr=urn:uuid:0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    assertThat(Instances.contactValue(ID))
        .isEqualTo("<urn:uuid:0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d>");
  }
}
