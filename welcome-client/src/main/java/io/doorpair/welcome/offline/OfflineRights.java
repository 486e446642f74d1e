package io.doorpair.welcome.offline;

/**
 * What an offline account may do.
 *
 * @param doorCalls receives door calls
 * @param openDoor may open the door
 * @param cameras may view the cameras
 */
public record OfflineRights(boolean doorCalls, boolean openDoor, boolean cameras) {}
