/** End-to-end scenarios: every actor its own process, started exactly as the README does. */
package io.doorpair.e2e;
