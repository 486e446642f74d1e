/** Cryptography both ends must compute byte for byte: keys, CSRs, PEM, hashes, codes, OAEP. */
package io.doorpair.crypto;
