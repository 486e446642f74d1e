/** The HTTPS server's TLS: its own certificate and key, and which client certificates it admits. */
package io.doorpair.portal.tls;
