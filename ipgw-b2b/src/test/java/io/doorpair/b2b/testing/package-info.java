/** Test helpers of ipgw-b2b: a gateway's files under a temporary root. */
package io.doorpair.b2b.testing;
