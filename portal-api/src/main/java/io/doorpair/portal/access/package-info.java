/**
 * The access flow of specification steps 2, 5, 6, 9 and 10: which gateways a user may join, access
 * requests from app devices, the gateways' push channel, approvals and denials.
 */
package io.doorpair.portal.access;
