/** Test companions of the portal SIP server: the project's own TLS SIP client. */
package io.doorpair.sipedge.testing;
