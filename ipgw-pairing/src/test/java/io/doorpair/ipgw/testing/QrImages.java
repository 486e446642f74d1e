package io.doorpair.ipgw.testing;

import io.doorpair.welcome.offline.OfflinePayloadException;
import io.doorpair.welcome.offline.QrPixels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Decodes a QR code image (PNG bytes as served) as the app does: pixels, then ZXing. */
public final class QrImages {
  private QrImages() {}

  /** The QR code's text in an encoded image. */
  public static String decode(byte[] image) throws IOException, OfflinePayloadException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(image));
    if (img == null) {
      throw new IOException("not an image");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    return QrPixels.decode(img.getRGB(0, 0, w, h, null, 0, w), w, h);
  }
}
