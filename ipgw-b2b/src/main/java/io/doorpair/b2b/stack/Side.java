package io.doorpair.b2b.stack;

/**
 * What the bridge hangs on each of its dialogs ({@code Dialog.setApplicationData}): the call, and
 * which leg the dialog is on.
 *
 * @param call the bridged call
 * @param portalLeg true for the dialog with a phone (through the portal), false for the door's
 */
record Side(BridgedCall call, boolean portalLeg) {}
