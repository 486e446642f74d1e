/**
 * Jazzer fuzz tests: the file parsers and the internal SIP server's UDP leg. In the normal build
 * they run in regression mode over the corpus committed under {@code
 * src/test/resources/io/doorpair/b2b/fuzz/}; {@code JAZZER_FUZZ=1} fuzzes one of them.
 */
package io.doorpair.b2b.fuzz;
