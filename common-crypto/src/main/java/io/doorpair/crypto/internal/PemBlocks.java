package io.doorpair.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the textual encoding of RFC 7468: {@code -----BEGIN LABEL-----}, base64 lines,
 * {@code -----END LABEL-----}.
 *
 * <p>Reading is strict inside blocks (matching labels, base64 only, no headers, no nesting, no
 * unterminated block) and, unless {@code strict}, ignores explanatory text between blocks as RFC
 * 7468 §2 allows.
 */
public final class PemBlocks {
  private static final Pattern BEGIN =
      Pattern.compile("-----BEGIN ([\\x21-\\x2C\\x2E-\\x7E]+(?: [\\x21-\\x2C\\x2E-\\x7E]+)*)-----");
  private static final Pattern BASE64_LINE = Pattern.compile("[A-Za-z0-9+/=]+");
  private static final byte[] NEWLINE = {'\n'};

  private PemBlocks() {}

  /** One decoded block. */
  public static final class Block {
    private final String label;
    private final byte[] der;

    Block(String label, byte[] der) {
      this.label = label;
      this.der = der;
    }

    /** The label, such as {@code CERTIFICATE}. */
    public String label() {
      return label;
    }

    /** The decoded bytes (a copy). */
    public byte[] der() {
      return der.clone();
    }
  }

  /**
   * Decodes every block of {@code text}, in order.
   *
   * @param strict refuse any non-blank text outside blocks
   * @throws PemSyntaxException for a malformed block (the caller checks the size beforehand)
   */
  public static List<Block> read(String text, boolean strict) throws PemSyntaxException {
    List<Block> blocks = new ArrayList<>();
    String label = null;
    StringBuilder body = new StringBuilder();
    for (String raw : (Iterable<String>) text.lines()::iterator) {
      String line = raw.strip();
      if (label == null) {
        if (line.startsWith("-----BEGIN")) {
          Matcher m = BEGIN.matcher(line);
          if (!m.matches()) {
            throw new PemSyntaxException("malformed PEM BEGIN line");
          }
          label = m.group(1);
          body.setLength(0);
        } else if (line.startsWith("-----END")) {
          throw new PemSyntaxException("PEM END line without BEGIN line");
        } else if (strict && !line.isEmpty()) {
          throw new PemSyntaxException("text outside the PEM block");
        }
        continue;
      }
      if (line.startsWith("-----END")) {
        if (!line.equals("-----END " + label + "-----")) {
          throw new PemSyntaxException("PEM END line does not match BEGIN " + label);
        }
        blocks.add(new Block(label, decode(label, body)));
        label = null;
      } else if (line.startsWith("-----BEGIN")) {
        throw new PemSyntaxException("PEM block " + label + " is not terminated");
      } else if (line.indexOf(':') >= 0) {
        throw new PemSyntaxException(
            "PEM block " + label + " has headers: encrypted or annotated PEM is not supported");
      } else if (!line.isEmpty()) {
        if (!BASE64_LINE.matcher(line).matches()) {
          throw new PemSyntaxException("PEM block " + label + " is not valid base64");
        }
        body.append(line);
      }
    }
    if (label != null) {
      throw new PemSyntaxException("PEM block " + label + " is not terminated");
    }
    return blocks;
  }

  private static byte[] decode(String label, StringBuilder body) throws PemSyntaxException {
    if (body.length() == 0) {
      throw new PemSyntaxException("PEM block " + label + " is empty");
    }
    try {
      byte[] der = Base64.getDecoder().decode(body.toString());
      if (der.length == 0) {
        throw new PemSyntaxException("PEM block " + label + " is empty");
      }
      return der;
    } catch (IllegalArgumentException e) {
      throw new PemSyntaxException("PEM block " + label + " is not valid base64");
    }
  }

  /** Encodes one block with 64-character lines and a final newline. */
  public static String write(String label, byte[] der) {
    String base64 =
        new String(Base64.getMimeEncoder(64, NEWLINE).encode(der), StandardCharsets.US_ASCII);
    return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
  }
}
