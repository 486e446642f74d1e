package io.doorpair.crypto.internal;

/** A PEM text that {@link PemBlocks} refuses; the message is exact and safe to show. */
public final class PemSyntaxException extends Exception {
  PemSyntaxException(String message) {
    super(message);
  }
}
