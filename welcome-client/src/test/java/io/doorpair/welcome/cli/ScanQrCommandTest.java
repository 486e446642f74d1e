package io.doorpair.welcome.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import io.doorpair.crypto.SipPassword;
import io.doorpair.welcome.offline.ConfirmationCode;
import io.doorpair.welcome.offline.OfflineAccount;
import io.doorpair.welcome.offline.OfflinePayload;
import io.doorpair.welcome.offline.OfflineRights;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code welcome scan-qr FILE} on real PNG files. */
class ScanQrCommandTest {
  private static final OfflineAccount ACCOUNT =
      new OfflineAccount(
          "k3v9q2m7x1ab",
          "sip:192.168.1.20:5070;transport=tcp",
          "alice",
          "alice-7f3a9c",
          SipPassword.of("Ab3dEf6hIj9kLm2nOp5qRs8t"),
          new OfflineRights(true, true, false),
          true,
          Instant.parse("2026-12-04T21:10:00Z"),
          "0123456789abcdef0123456789abcdef");

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void scans_stores_and_shows_the_confirmation_code() throws Exception {
    String text = OfflinePayload.encode(ACCOUNT);
    Path png = png(text, "qr.png");
    Path profile = dir.resolve("profile");
    assertThat(run("--profile", profile.toString(), "--json", "scan-qr", png.toString()))
        .isEqualTo(WelcomeCommand.OK);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("confirmation_code").asText()).isEqualTo(ConfirmationCode.of(text));
    assertThat(json.get("sip_username").asText()).isEqualTo("alice-7f3a9c");
    assertThat(json.get("external_access").asBoolean()).isTrue();
    assertThat(out.toString()).doesNotContain("Ab3dEf6h");
    Path stored = profile.resolve("offline/k3v9q2m7x1ab.txt");
    assertThat(Files.readString(stored)).isEqualTo(text);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)))
        .isEqualTo("rw-------");
  }

  @Test
  void an_edited_payload_is_refused_and_nothing_is_stored() throws Exception {
    String edited = OfflinePayload.encode(ACCOUNT).replace("external=yes", "external=no");
    Path png = png(edited, "edited.png");
    Path profile = dir.resolve("profile");
    assertThat(run("--profile", profile.toString(), "scan-qr", png.toString()))
        .isEqualTo(WelcomeCommand.FAILED);
    assertThat(err.toString()).contains("corrupted or was edited").contains("hash_mismatch");
    assertThat(Files.exists(profile.resolve("offline"))).isFalse();
  }

  private int run(String... args) {
    CommandLine cli = new CommandLine(new WelcomeCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private Path png(String text, String name) throws Exception {
    BitMatrix m =
        new QRCodeWriter()
            .encode(text, BarcodeFormat.QR_CODE, 300, 300, Map.of(EncodeHintType.MARGIN, 4));
    BufferedImage image =
        new BufferedImage(m.getWidth(), m.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        image.setRGB(x, y, m.get(x, y) ? 0xff000000 : 0xffffffff);
      }
    }
    Path file = dir.resolve(name);
    ImageIO.write(image, "png", file.toFile());
    return file;
  }
}
