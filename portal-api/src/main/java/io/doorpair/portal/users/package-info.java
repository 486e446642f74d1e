/**
 * Portal users: usernames, passwords turned into digest HA1 values, and the {@code portal user}
 * commands.
 */
package io.doorpair.portal.users;
