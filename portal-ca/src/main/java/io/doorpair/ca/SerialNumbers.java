package io.doorpair.ca;

import java.math.BigInteger;
import java.security.SecureRandom;

/** Certificate serial numbers: 127 random bits, positive and nonzero (DESIGN §3: at least 64). */
final class SerialNumbers {
  /** Random bits per serial: 16 DER octets at most, never a sign octet. */
  static final int BITS = 127;

  private SerialNumbers() {}

  static BigInteger next(SecureRandom random) {
    BigInteger serial;
    do {
      serial = new BigInteger(BITS, random);
    } while (serial.bitLength() < 64);
    return serial;
  }
}
