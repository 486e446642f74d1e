/** The {@code ipgw} command line (picocli): {@code ipgw serve} and its flags. */
package io.doorpair.ipgw.cli;
