package io.doorpair.ipgw.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Renders a text as a QR code PNG: byte mode (UTF-8), error correction M, a 4-module quiet zone,
 * black on white, at least {@value #SIZE} pixels a side.
 */
public final class QrPng {
  /** The smallest side of the image, in pixels. */
  public static final int SIZE = 400;

  /** The longest text rendered (a QR code holds about 2,300 bytes at level M). */
  public static final int MAX_TEXT = 1024;

  private QrPng() {}

  /**
   * Renders {@code text}.
   *
   * @param text at most {@value #MAX_TEXT} UTF-8 bytes
   * @return the PNG bytes
   * @throws IllegalArgumentException when the text is empty or too long
   */
  public static byte[] render(String text) {
    if (text.isEmpty() || text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT) {
      throw new IllegalArgumentException("QR text must be 1 to " + MAX_TEXT + " bytes");
    }
    BitMatrix m;
    try {
      m =
          new QRCodeWriter()
              .encode(
                  text,
                  BarcodeFormat.QR_CODE,
                  SIZE,
                  SIZE,
                  Map.of(
                      EncodeHintType.MARGIN,
                      4,
                      EncodeHintType.ERROR_CORRECTION,
                      ErrorCorrectionLevel.M,
                      EncodeHintType.CHARACTER_SET,
                      "UTF-8"));
    } catch (WriterException e) {
      throw new IllegalArgumentException("text cannot be a QR code: " + e.getMessage(), e);
    }
    BufferedImage image =
        new BufferedImage(m.getWidth(), m.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        image.setRGB(x, y, m.get(x, y) ? 0xff000000 : 0xffffffff);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("this Java runtime writes no PNG");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render the QR code", e);
    }
    return out.toByteArray();
  }
}
