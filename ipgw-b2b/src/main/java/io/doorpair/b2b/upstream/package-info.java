/**
 * The portal leg's SIP-free parts: where the portal SIP server is ({@link
 * io.doorpair.b2b.upstream.PortalTarget}) and how long to wait before trying it again ({@link
 * io.doorpair.b2b.upstream.Backoff}).
 */
package io.doorpair.b2b.upstream;
