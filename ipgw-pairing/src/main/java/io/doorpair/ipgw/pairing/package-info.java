/**
 * Gateway pairing (the specification's "IP gateway pairing"): a random DOMAIN, an RSA key and a CSR
 * {@code ipgw@DOMAIN}, sent with the owner's credentials; a new DOMAIN on 409; then the identity
 * stored and every file of DESIGN §6 written.
 */
package io.doorpair.ipgw.pairing;
