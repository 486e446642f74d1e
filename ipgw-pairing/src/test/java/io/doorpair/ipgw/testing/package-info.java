/** Test companions of the gateway: a gateway in a temporary root, an app, a TCP relay to cut. */
package io.doorpair.ipgw.testing;
