package io.doorpair.welcome.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the user's password: a prompt without echo on a terminal, else the first line of standard
 * input. Never from a flag (flags show in {@code ps} and shell history).
 */
final class PasswordInput {
  private static final int MAX_BYTES = 1024;

  private PasswordInput() {}

  static char[] read(String prompt, InputStream stdin) {
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("%s", prompt);
      if (typed == null || typed.length == 0) {
        throw new IllegalArgumentException("no password typed");
      }
      return typed;
    }
    return firstLine(stdin);
  }

  static char[] firstLine(InputStream stdin) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = stdin.read()) >= 0 && b != '\n') {
        if (bytes.size() >= MAX_BYTES) {
          throw new IllegalArgumentException("the password on standard input is too long");
        }
        bytes.write(b);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the password from standard input");
    }
    byte[] raw = bytes.toByteArray();
    int length = raw.length;
    if (length > 0 && raw[length - 1] == '\r') {
      length--;
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw, 0, length));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      if (out.length == 0) {
        throw new IllegalArgumentException(
            "no password: type it at the prompt or give it as the first line of standard input");
      }
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the password on standard input is not UTF-8");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}
