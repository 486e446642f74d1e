/**
 * The door stations as the owner sees them (DESIGN §8 topology): their display names, and their
 * registration at the embedded internal SIP server as the b2b reports it. Each change commits with
 * its topology event for the portal.
 */
package io.doorpair.ipgw.doors;
