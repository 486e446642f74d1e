/**
 * The portal SIP server as a library: {@link io.doorpair.sipedge.SipEdge#start} with a {@link
 * io.doorpair.sipedge.SipEdgeConfig} returns a {@link io.doorpair.sipedge.RunningSipEdge}.
 */
package io.doorpair.sipedge;
