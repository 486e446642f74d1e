/** An owner's view of their devices and gateways, and revocation of a lost device. */
package io.doorpair.portal.devices;
