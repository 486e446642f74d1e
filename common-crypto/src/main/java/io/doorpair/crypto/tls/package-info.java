/**
 * TLS material from Java key objects: PKIX trust over exactly the given anchors, an in-memory key
 * manager, and SSL contexts restricted to TLS 1.3 and 1.2.
 */
package io.doorpair.crypto.tls;
