/**
 * Guests of a gateway: the owner invites or removes portal users, which makes the gateway joinable
 * for them (the specification's unspecified part: only the owner initiates).
 */
package io.doorpair.portal.guests;
