package io.doorpair.b2b.access;

/** What a request from an app asks of its account's rights. */
public enum Need {
  /** Calling a door station or a camera: the door-calls or the cameras right. */
  CALL,
  /** The door-open command (DTMF over SIP INFO): the open-door right. */
  OPEN_DOOR,
  /** Anything else in a call the device is already in (INFO without DTMF): any right. */
  IN_CALL;

  /**
   * Whether an account's rights allow what is asked.
   *
   * @param account the device's account
   * @return true when allowed
   */
  public boolean grantedBy(io.doorpair.b2b.conf.AppAccount account) {
    return switch (this) {
      case CALL -> account.doorCalls() || account.cameras();
      case OPEN_DOOR -> account.openDoor();
      case IN_CALL -> account.anyRight();
    };
  }
}
