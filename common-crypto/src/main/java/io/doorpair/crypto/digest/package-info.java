/**
 * HTTP Digest access authentication (RFC 7616, qop=auth, MD5 and SHA-256): the response math and
 * the header codec, shared by servers and clients; no I/O and no HTTP library.
 */
package io.doorpair.crypto.digest;
