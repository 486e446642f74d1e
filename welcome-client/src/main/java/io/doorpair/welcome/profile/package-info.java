/**
 * The app's state on disk: a profile folder holding its key (0600), certificate, pinned portal CA,
 * settings, event cursor and one account per gateway, every file written atomically.
 */
package io.doorpair.welcome.profile;
