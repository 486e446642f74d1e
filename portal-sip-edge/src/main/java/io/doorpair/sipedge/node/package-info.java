/**
 * The {@code portal-sip} program for separate SIP nodes: reads the CA certificate, its own
 * certificate and key and the CA's CRL from files ({@link io.doorpair.sipedge.node.NodeFiles}),
 * starts the edge, follows the CRL file ({@link io.doorpair.sipedge.node.CrlFileWatcher}) and
 * writes a ready file.
 */
package io.doorpair.sipedge.node;
