package io.doorpair.welcome.cli;

import io.doorpair.welcome.offline.ConfirmationCode;
import io.doorpair.welcome.offline.OfflineAccount;
import io.doorpair.welcome.offline.OfflinePayload;
import io.doorpair.welcome.offline.OfflinePayloadException;
import io.doorpair.welcome.offline.QrPixels;
import io.doorpair.welcome.profile.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code welcome scan-qr FILE}: reads an offline account from a picture of the gateway's QR code
 * (DESIGN §9), checks its version and hash, stores it in the profile ({@code offline/DOMAIN.txt},
 * the payload as scanned, 0600) and shows the confirmation code the owner types on the gateway. The
 * picture is read with {@code javax.imageio} (PNG, JPEG, GIF, BMP), here in the CLI only: the
 * library decodes pixels ({@link QrPixels}), which an Android app gets from its own bitmaps.
 */
@Command(
    name = "scan-qr",
    description =
        "Read an offline account from a picture of the gateway's QR code; show the"
            + " confirmation code.")
final class ScanQrCommand implements Callable<Integer> {
  /** Largest picture accepted, in bytes. */
  static final long MAX_BYTES = 16L * 1024 * 1024;

  @ParentCommand WelcomeCommand root;

  @Parameters(paramLabel = "FILE", description = "a picture (PNG, JPEG) of the QR code")
  Path file;

  @Override
  public Integer call() throws IOException {
    String text;
    OfflineAccount account;
    try {
      text = decode(file);
      account = OfflinePayload.parse(text);
    } catch (OfflinePayloadException e) {
      root.spec
          .commandLine()
          .getErr()
          .println("welcome: " + e.getMessage() + " (" + e.code() + ")");
      root.spec.commandLine().getErr().flush();
      return WelcomeCommand.FAILED;
    }
    Path folder = root.profile().folder();
    AtomicFiles.createPrivateFolder(folder);
    AtomicFiles.createPrivateFolder(folder.resolve("offline"));
    Path stored = folder.resolve("offline").resolve(account.domain() + ".txt");
    AtomicFiles.writeSecret(stored, text);
    String code = ConfirmationCode.of(text);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("domain", account.domain());
    json.put("internal_sip_uri", account.internalSipUri());
    json.put("name", account.name());
    json.put("sip_username", account.sipUsername());
    json.put("door_calls", account.rights().doorCalls());
    json.put("open_door", account.rights().openDoor());
    json.put("cameras", account.rights().cameras());
    json.put("external_access", account.externalAccess());
    json.put("expires", account.expiresAt().toString());
    json.put("stored", stored.toString());
    json.put("confirmation_code", code);
    root.out()
        .print(
            json,
            "Offline account "
                + account.sipUsername()
                + "@"
                + account.domain()
                + " at "
                + account.internalSipUri()
                + " (stored in "
                + stored
                + ").\nType this code on the gateway's admin page before "
                + account.expiresAt()
                + ":\n\n"
                + BigText.render(code)
                + "\n  confirmation code: "
                + code
                + "\n");
    return WelcomeCommand.OK;
  }

  /** The QR code's text in a picture file. */
  static String decode(Path file) throws IOException, OfflinePayloadException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(file + ": over " + MAX_BYTES + " bytes, not a QR code picture");
    }
    BufferedImage img;
    try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(file))) {
      img = ImageIO.read(in);
    }
    if (img == null) {
      throw new IOException(file + ": not a picture this program reads (PNG, JPEG, GIF, BMP)");
    }
    if (img.getWidth() > QrPixels.MAX_SIDE || img.getHeight() > QrPixels.MAX_SIDE) {
      throw new IOException(file + ": over " + QrPixels.MAX_SIDE + " pixels on a side");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    return QrPixels.decode(img.getRGB(0, 0, w, h, null, 0, w), w, h);
  }
}
