package io.doorpair.welcome.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import io.doorpair.crypto.SipPassword;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflinePayloadTest {
  static final OfflineAccount ACCOUNT =
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

  /** The README's example, byte for byte (the vector both ends must agree on). */
  static final String TEXT =
      "DOORPAIR-OFFLINE/1\n"
          + "domain=k3v9q2m7x1ab\n"
          + "sip=sip:192.168.1.20:5070;transport=tcp\n"
          + "name=alice\n"
          + "user=alice-7f3a9c\n"
          + "password=Ab3dEf6hIj9kLm2nOp5qRs8t\n"
          + "rights=door_calls,open_door\n"
          + "external=yes\n"
          + "expires=2026-12-04T21:10:00Z\n"
          + "id=0123456789abcdef0123456789abcdef\n"
          + "sha256=";

  @Test
  void encodesTheDocumentedBytesAndReadsThemBack() throws Exception {
    String text = OfflinePayload.encode(ACCOUNT);
    String covered = TEXT.substring(0, TEXT.length() - "sha256=".length());
    String hash = HexFormat.of().formatHex(OfflinePayload.sha256(covered));
    assertEquals(TEXT + hash, text);
    assertEquals(ACCOUNT, OfflinePayload.parse(text));
    assertEquals(text, OfflinePayload.encode(OfflinePayload.parse(text)));
    assertFalse(ACCOUNT.toString().contains("Ab3dEf6h"));
    assertEquals("sip:alice-7f3a9c@k3v9q2m7x1ab", ACCOUNT.addressOfRecord());
  }

  @Test
  void theReadmeVector() throws Exception {
    String text = TEXT + "5f9cc95a1a65d3f3857e1d5fd27530f3a6d8554c91c4e2d0db1692c9485ef665";
    assertEquals(text, OfflinePayload.encode(ACCOUNT));
    assertEquals("002137", ConfirmationCode.of(text));
    assertEquals(319, text.length());
  }

  @Test
  void confirmationCodeIsSixDigitsFromTheWholePayload() {
    String text = OfflinePayload.encode(ACCOUNT);
    byte[] h = OfflinePayload.sha256(text);
    long n =
        ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
    String expected = String.format("%06d", n % 1_000_000);
    assertEquals(expected, ConfirmationCode.of(text));
    assertEquals(expected, ConfirmationCode.of(ACCOUNT));
    assertTrue(
        ConfirmationCode.matches(
            expected, expected.substring(0, 3) + " - " + expected.substring(3)));
    assertFalse(ConfirmationCode.matches(expected, "12345"));
    assertFalse(ConfirmationCode.matches(expected, "abcdef"));
    assertTrue(ConfirmationCode.normalize("12-34 56").isPresent());
    assertTrue(ConfirmationCode.normalize("1234567").isEmpty());
    String other = OfflinePayload.encode(withId("ffffffffffffffffffffffffffffffff"));
    assertFalse(ConfirmationCode.of(other).equals(expected) && other.equals(text));
  }

  @Test
  void anEditedPayloadIsRefused() {
    String text = OfflinePayload.encode(ACCOUNT);
    for (String[] edit :
        new String[][] {
          {"external=yes", "external=no"},
          {"rights=door_calls,open_door", "rights=door_calls,open_door,cameras"},
          {"sip=sip:192.168.1.20", "sip=sip:192.168.1.66"},
          {"expires=2026", "expires=2027"},
        }) {
      OfflinePayloadException e =
          assertThrows(
              OfflinePayloadException.class,
              () -> OfflinePayload.parse(text.replace(edit[0], edit[1])));
      assertEquals(OfflinePayloadException.HASH_MISMATCH, e.code(), edit[0]);
      assertTrue(e.getMessage().contains("corrupted or was edited"), e.getMessage());
      assertFalse(e.getMessage().contains("Ab3dEf6h"));
    }
  }

  @Test
  void aCorruptedPayloadIsRefused() {
    String text = OfflinePayload.encode(ACCOUNT);
    char[] chars = text.toCharArray();
    for (int i = OfflinePayload.MAGIC.length() + 2; i < chars.length; i += 7) {
      char[] copy = chars.clone();
      copy[i] = copy[i] == 'x' ? 'y' : 'x';
      String damaged = new String(copy);
      OfflinePayloadException e =
          assertThrows(OfflinePayloadException.class, () -> OfflinePayload.parse(damaged));
      assertTrue(
          e.code().equals(OfflinePayloadException.HASH_MISMATCH)
              || e.code().equals(OfflinePayloadException.MALFORMED),
          damaged);
    }
    assertEquals(
        OfflinePayloadException.HASH_MISMATCH,
        assertThrows(
                OfflinePayloadException.class,
                () -> OfflinePayload.parse(text.substring(0, text.length() - 10)))
            .code());
    assertEquals(
        OfflinePayloadException.HASH_MISMATCH,
        assertThrows(
                OfflinePayloadException.class,
                () -> OfflinePayload.parse(text.substring(0, text.indexOf("sha256="))))
            .code());
  }

  @Test
  void otherVersionsAndOtherCodesAreRefusedClearly() {
    String text = OfflinePayload.encode(ACCOUNT);
    OfflinePayloadException v2 =
        assertThrows(
            OfflinePayloadException.class,
            () -> OfflinePayload.parse(text.replace("DOORPAIR-OFFLINE/1", "DOORPAIR-OFFLINE/2")));
    assertEquals(OfflinePayloadException.UNSUPPORTED_VERSION, v2.code());
    assertTrue(v2.getMessage().contains("version 2"));
    assertEquals(
        OfflinePayloadException.NOT_OURS,
        assertThrows(OfflinePayloadException.class, () -> OfflinePayload.parse("https://x.test/"))
            .code());
    assertEquals(
        OfflinePayloadException.NOT_OURS,
        assertThrows(OfflinePayloadException.class, () -> OfflinePayload.parse(null)).code());
  }

  @Test
  void aRehashedPayloadMustStillFollowTheFormat() {
    for (String[] edit :
        new String[][] {
          {"external=yes", "external=maybe"},
          {"rights=door_calls,open_door", "rights=open_door,door_calls"},
          {"domain=k3v9q2m7x1ab", "domain=K3V9Q2M7X1AB"},
          {"password=Ab3dEf6hIj9kLm2nOp5qRs8t", "password=short"},
          {"sip=sip:192.168.1.20:5070", "sip=sips:192.168.1.20:5070"},
          {"sip=sip:192.168.1.20:5070", "sip=sip:192.168.1.20:70000"},
          {"expires=2026-12-04T21:10:00Z", "expires=2026-13-04T21:10:00Z"},
          {"name=alice\n", ""},
          {"id=", "extra=1\nid="},
        }) {
      String body = OfflinePayload.encode(ACCOUNT);
      body = body.substring(0, body.indexOf("sha256=")).replace(edit[0], edit[1]);
      String rehashed = body + "sha256=" + HexFormat.of().formatHex(OfflinePayload.sha256(body));
      OfflinePayloadException e =
          assertThrows(OfflinePayloadException.class, () -> OfflinePayload.parse(rehashed));
      assertEquals(OfflinePayloadException.MALFORMED, e.code(), edit[1]);
      assertFalse(e.getMessage().contains("Ab3dEf6h"));
    }
  }

  @Test
  void decodesTheQrCodeOfAnImageFile(@TempDir Path dir) throws Exception {
    String text = OfflinePayload.encode(ACCOUNT);
    BitMatrix matrix = matrix(text);
    int w = matrix.getWidth();
    int[] argb = new int[w * matrix.getHeight()];
    for (int y = 0; y < matrix.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        argb[y * w + x] = matrix.get(x, y) ? 0xff000000 : 0xffffffff;
      }
    }
    assertEquals(text, QrPixels.decode(argb, w, matrix.getHeight()));
    BufferedImage image = new BufferedImage(w, matrix.getHeight(), BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, w, matrix.getHeight(), argb, 0, w);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    Path file = dir.resolve("qr.png");
    Files.write(file, png.toByteArray());
    BufferedImage read = ImageIO.read(file.toFile());
    int[] again = read.getRGB(0, 0, read.getWidth(), read.getHeight(), null, 0, read.getWidth());
    assertEquals(
        ACCOUNT, OfflinePayload.parse(QrPixels.decode(again, read.getWidth(), read.getHeight())));
    int[] blank = new int[100 * 100];
    java.util.Arrays.fill(blank, 0xffffffff);
    assertEquals(
        OfflinePayloadException.NO_QR_CODE,
        assertThrows(OfflinePayloadException.class, () -> QrPixels.decode(blank, 100, 100)).code());
    assertThrows(IllegalArgumentException.class, () -> QrPixels.decode(blank, 10, 10));
  }

  /** A QR code of {@code text}, as the gateway draws it. */
  static BufferedImage image(String text) throws WriterException {
    BitMatrix matrix = matrix(text);
    int w = matrix.getWidth();
    BufferedImage image = new BufferedImage(w, matrix.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < matrix.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, matrix.get(x, y) ? 0xff000000 : 0xffffffff);
      }
    }
    return image;
  }

  private static BitMatrix matrix(String text) throws WriterException {
    return new QRCodeWriter()
        .encode(text, BarcodeFormat.QR_CODE, 300, 300, Map.of(EncodeHintType.MARGIN, 4));
  }

  private static OfflineAccount withId(String id) {
    return new OfflineAccount(
        ACCOUNT.domain(),
        ACCOUNT.internalSipUri(),
        ACCOUNT.name(),
        ACCOUNT.sipUsername(),
        ACCOUNT.password(),
        ACCOUNT.rights(),
        ACCOUNT.externalAccess(),
        ACCOUNT.expiresAt(),
        id);
  }
}
