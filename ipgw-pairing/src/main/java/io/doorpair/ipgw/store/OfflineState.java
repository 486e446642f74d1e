package io.doorpair.ipgw.store;

/** The life of an offline (QR code) account. */
public enum OfflineState {
  /** The QR code is shown; waiting for the confirmation code; not in any file. */
  PENDING,
  /** The right code was typed: in the password file (and {@code acl.list} if external). */
  ACTIVE,
  /** Expired, too many wrong codes, or removed: never usable again; its QR code neither. */
  VOID
}
