package io.doorpair.welcome.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The gateway's QR codes (400 pixels, margin 4, level M, as ipgw's {@code QrPng} draws them) of
 * many payloads of the offline format's length all decode: a payload's bytes must never make its
 * code unreadable to the app.
 */
class QrPixelsTest {
  @Test
  void every_rendered_payload_decodes() throws Exception {
    Random random = new Random(20261205L);
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      byte[] bytes = new byte[180 + random.nextInt(200)];
      random.nextBytes(bytes);
      String text =
          "doorpair-offline:1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      int[] argb = render(text);
      try {
        assertThat(QrPixels.decode(argb, 400, 400)).isEqualTo(text);
      } catch (OfflinePayloadException e) {
        failed.add(i + ": " + e.getMessage());
      }
    }
    assertThat(failed).isEmpty();
  }

  private static int[] render(String text) throws WriterException {
    BitMatrix m =
        new QRCodeWriter()
            .encode(
                text,
                BarcodeFormat.QR_CODE,
                400,
                400,
                Map.of(
                    EncodeHintType.MARGIN,
                    4,
                    EncodeHintType.ERROR_CORRECTION,
                    ErrorCorrectionLevel.M,
                    EncodeHintType.CHARACTER_SET,
                    "UTF-8"));
    int[] argb = new int[m.getWidth() * m.getHeight()];
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        argb[y * m.getWidth() + x] = m.get(x, y) ? 0xff000000 : 0xffffffff;
      }
    }
    return argb;
  }
}
