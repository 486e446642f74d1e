/**
 * The gateway's local admin site: server-rendered pages that work without JavaScript, behind a
 * local administrator password, session cookies, CSRF tokens and login throttling.
 */
package io.doorpair.ipgw.admin;
