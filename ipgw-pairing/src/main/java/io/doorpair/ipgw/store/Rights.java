package io.doorpair.ipgw.store;

/**
 * What an account may do.
 *
 * @param doorCalls receives door calls (its user is in {@code acl.list})
 * @param openDoor may open the door
 * @param cameras may view the cameras
 * @param gruuOnly door calls reach only this device's GRUU, not every device of the user
 */
public record Rights(boolean doorCalls, boolean openDoor, boolean cameras, boolean gruuOnly) {
  /** Every right, on every device of the user. */
  public static final Rights ALL = new Rights(true, true, true, false);
}
