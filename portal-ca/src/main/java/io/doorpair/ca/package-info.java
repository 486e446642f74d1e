/**
 * The portal certificate authority: CA key files, CSR policy, issuance of client and server
 * certificates, and CRLs (DESIGN §2, §3); no HTTP and no SQL.
 */
package io.doorpair.ca;
