/** The {@code portal} command line: {@code serve} and {@code user add|passwd|list|del}. */
package io.doorpair.portal.cli;
