/**
 * Offline account creation by QR code (DESIGN §9): the versioned payload the gateway's admin site
 * shows as a QR code ({@link io.doorpair.welcome.offline.OfflinePayload}), the account it carries
 * ({@link io.doorpair.welcome.offline.OfflineAccount}), the confirmation code the app shows and the
 * owner types into the admin site, and decoding of a QR code from pixels with ZXing core ({@link
 * io.doorpair.welcome.offline.QrPixels}). Plain Java 17 and ZXing core only: an Android app embeds
 * it and decodes its camera frames or bitmaps into pixels itself; {@code .imagefile} reads image
 * files on a desktop JVM.
 */
package io.doorpair.welcome.offline;
