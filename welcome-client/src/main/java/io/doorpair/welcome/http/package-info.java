/**
 * The one Java client of the portal API (OkHttp): digest at first contact, mutual TLS after, the
 * portal CA pinned once paired.
 */
package io.doorpair.welcome.http;
