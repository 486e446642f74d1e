package io.doorpair.welcome.offline.imagefile;

import io.doorpair.welcome.offline.OfflinePayloadException;
import io.doorpair.welcome.offline.QrPixels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads an image file (any format {@code javax.imageio} reads) and decodes its QR code. */
public final class QrImageFile {
  /** Largest file accepted, in bytes. */
  public static final long MAX_BYTES = 16L * 1024 * 1024;

  private QrImageFile() {}

  /**
   * Decodes the QR code of an image file.
   *
   * @param file the image
   * @return the QR code's text
   * @throws IOException when the file cannot be read, is over 16 MiB or is not an image
   * @throws OfflinePayloadException {@code no_qr_code} when the image holds no readable QR code
   */
  public static String decode(Path file) throws IOException, OfflinePayloadException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(file + ": over " + MAX_BYTES + " bytes, not a QR code picture");
    }
    return decode(Files.readAllBytes(file), file.toString());
  }

  /**
   * Decodes the QR code of an image held in memory (a PNG fetched over HTTP, say).
   *
   * @param image the encoded image
   * @param what names the image in error messages
   * @return the QR code's text
   * @throws IOException when the bytes are not an image
   * @throws OfflinePayloadException {@code no_qr_code} when the image holds no readable QR code
   */
  public static String decode(byte[] image, String what)
      throws IOException, OfflinePayloadException {
    BufferedImage img;
    try (InputStream in = new ByteArrayInputStream(image)) {
      img = ImageIO.read(in);
    }
    if (img == null) {
      throw new IOException(what + ": not an image this Java runtime reads");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    if (w > QrPixels.MAX_SIDE || h > QrPixels.MAX_SIDE) {
      throw new IOException(what + ": over " + QrPixels.MAX_SIDE + " pixels on a side");
    }
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    return QrPixels.decode(argb, w, h);
  }
}
