/**
 * {@code POST /api/pair} and {@code POST /api/renew}: from an authenticated CSR to a certificate.
 */
package io.doorpair.portal.pairing;
