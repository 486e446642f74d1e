/** The portal program: configuration, start-up of the HTTPS API and its command line. */
package io.doorpair.portal;
