/**
 * Operations on the gateway side: the b2b's Prometheus meters ({@link
 * io.doorpair.b2b.ops.B2bMetrics}) and its management listener ({@link
 * io.doorpair.b2b.ops.B2bOperations}), and what {@code ipgw serve} uses too: the health checks with
 * deadlines, the management listener ({@link io.doorpair.b2b.ops.ManagementServer}), a value read
 * at most once per period ({@link io.doorpair.b2b.ops.Recent}). The one copy on the gateway side.
 */
package io.doorpair.b2b.ops;
