/** The certificate revocation list: built from the store's revocations, signed by the CA. */
package io.doorpair.portal.crl;
