/** Starts the packaged programs through {@code bin/} as separate processes and waits for them. */
package io.doorpair.e2e.harness;
