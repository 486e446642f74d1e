/** The b2b program: {@link io.doorpair.b2b.B2b#start} wires the files, the stack and the legs. */
package io.doorpair.b2b;
