/**
 * Test fixtures shipped in common-crypto's test-jar: a test PKI made in code and the shared pairing
 * test vectors.
 */
package io.doorpair.crypto.testing;
