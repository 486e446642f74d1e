package io.doorpair.ipgw.store;

/** Where an access request stands on the gateway. */
public enum RequestState {
  /** Received, waiting for the owner. */
  PENDING,
  /** Approved: the account was sent, the security code is awaited. */
  APPROVED,
  /** The right security code was typed: the account is in the files. */
  ENABLED,
  /** Denied by the owner. */
  DENIED,
  /** Voided: by the portal, by too many wrong codes, or decided elsewhere. */
  VOID,
  /** Refused on arrival: its certificate is not from the portal CA, or not RSA, or inconsistent. */
  REFUSED
}
