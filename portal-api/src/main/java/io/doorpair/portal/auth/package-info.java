/**
 * Who is calling the portal API: HTTP Digest for {@code POST /api/pair} (nonces, nonce counts,
 * throttling), framework-free so that it is tested without a server.
 */
package io.doorpair.portal.auth;
