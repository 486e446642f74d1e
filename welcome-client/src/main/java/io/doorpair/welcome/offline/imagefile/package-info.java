/**
 * Decoding a QR code from an image file (PNG, JPEG, GIF, BMP) on a desktop or server JVM, through
 * {@code javax.imageio}. Android has no {@code javax.imageio}: an app decodes its bitmap into ARGB
 * pixels and calls {@link io.doorpair.welcome.offline.QrPixels#decode} instead, so nothing outside
 * this package touches {@code java.awt} or {@code javax.imageio}.
 */
package io.doorpair.welcome.offline.imagefile;
