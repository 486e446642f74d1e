/**
 * The proxy's decisions (DESIGN §7), SIP-free: where a request goes ({@link
 * io.doorpair.sipedge.proxy.Targets}), which response of a fork goes upstream ({@link
 * io.doorpair.sipedge.proxy.Fork}), and the Record-Route flow tokens that keep in-dialog requests
 * on the connections their parties opened ({@link io.doorpair.sipedge.proxy.FlowTokens}).
 */
package io.doorpair.sipedge.proxy;
