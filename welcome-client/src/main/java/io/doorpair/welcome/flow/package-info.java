/**
 * The Welcome app's steps over {@link io.doorpair.welcome.http.PortalClient} and a {@link
 * io.doorpair.welcome.profile.Profile}: pairing, access requests, the approved account and its
 * security code, events, renewal, devices and guests.
 */
package io.doorpair.welcome.flow;
