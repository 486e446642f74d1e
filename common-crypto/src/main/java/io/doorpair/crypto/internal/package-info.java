/**
 * Bouncy Castle helpers behind the public crypto API: never part of a public signature, never used
 * from another module.
 */
package io.doorpair.crypto.internal;
