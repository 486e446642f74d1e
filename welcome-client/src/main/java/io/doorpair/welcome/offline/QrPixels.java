package io.doorpair.welcome.offline;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a QR code from pixels with ZXing core (no {@code java.awt}): an Android app passes its
 * bitmap's {@code getPixels} array, a desktop program an image's RGB array.
 */
public final class QrPixels {
  /** Largest image side accepted, in pixels. */
  public static final int MAX_SIDE = 8192;

  private QrPixels() {}

  /**
   * Finds and decodes the QR code in an image.
   *
   * @param argb the pixels, row by row, {@code 0xAARRGGBB}
   * @param width the width
   * @param height the height
   * @return the QR code's text
   * @throws OfflinePayloadException {@code no_qr_code} when no readable QR code is in the image
   * @throws IllegalArgumentException when the array does not match the size, or a side is 0 or over
   *     {@value #MAX_SIDE}
   */
  public static String decode(int[] argb, int width, int height) throws OfflinePayloadException {
    if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
      throw new IllegalArgumentException("image sides must be 1 to " + MAX_SIDE + " pixels");
    }
    if (argb.length != width * height) {
      throw new IllegalArgumentException("pixel array does not match " + width + "x" + height);
    }
    RGBLuminanceSource source = new RGBLuminanceSource(width, height, argb);
    // a camera photo needs the local binarizer and a search; a screenshot or file of a code as
    // drawn (the gateway's PNG) is read surely as a pure barcode, which the search alone misses
    // for a few percent of payloads (finder patterns mistaken in the data modules)
    List<BinaryBitmap> attempts =
        List.of(
            new BinaryBitmap(new HybridBinarizer(source)),
            new BinaryBitmap(new GlobalHistogramBinarizer(source)));
    OfflinePayloadException last = null;
    for (Map<DecodeHintType, Object> hints : List.of(hints(false), hints(true))) {
      for (BinaryBitmap bitmap : attempts) {
        try {
          return new QRCodeReader().decode(bitmap, hints).getText();
        } catch (NotFoundException e) {
          if (last == null) {
            last =
                new OfflinePayloadException(
                    OfflinePayloadException.NO_QR_CODE, "no QR code found in the image");
          }
        } catch (ChecksumException | FormatException e) {
          last =
              new OfflinePayloadException(
                  OfflinePayloadException.NO_QR_CODE,
                  "a QR code was found but could not be read (damaged, blurred or cut off)");
        }
      }
    }
    throw last;
  }

  private static Map<DecodeHintType, Object> hints(boolean pure) {
    Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
    hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
    hints.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
    hints.put(DecodeHintType.CHARACTER_SET, "UTF-8");
    if (pure) {
      hints.put(DecodeHintType.PURE_BARCODE, Boolean.TRUE);
    }
    return hints;
  }
}
