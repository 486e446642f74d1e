/**
 * The {@code welcome} command line over the library: one picocli class per command, registered in
 * {@link io.doorpair.welcome.cli.WelcomeCommand}. Not part of the embeddable library: nothing in
 * the library packages depends on it.
 */
package io.doorpair.welcome.cli;
