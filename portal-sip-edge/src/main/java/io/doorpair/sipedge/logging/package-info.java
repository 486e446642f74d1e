/**
 * Logging helpers: {@link io.doorpair.sipedge.logging.LimitedLog} keeps lines that hostile input
 * can trigger (refused requests, refused connections) from turning a flood of bad traffic into a
 * flood of log writes.
 */
package io.doorpair.sipedge.logging;
