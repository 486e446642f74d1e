/**
 * Test fixtures of portal-api shipped in its test-jar: the portal store contract and record
 * builders.
 */
package io.doorpair.portal.testing;
