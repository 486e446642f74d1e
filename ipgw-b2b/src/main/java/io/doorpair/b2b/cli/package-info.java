/** The {@code b2b} command line (picocli): the only place writing to the console. */
package io.doorpair.b2b.cli;
