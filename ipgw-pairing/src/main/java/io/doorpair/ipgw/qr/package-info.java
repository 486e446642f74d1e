/** Rendering offline QR payloads as PNG images with ZXing, on the gateway, with no network. */
package io.doorpair.ipgw.qr;
