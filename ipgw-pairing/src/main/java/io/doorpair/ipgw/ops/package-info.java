/**
 * Operations: the gateway agent's Prometheus metrics. The health checks and the management listener
 * ({@code --management}) that serves them are ipgw-b2b's ({@code io.doorpair.b2b.ops}, shared with
 * {@code b2b serve}). Depends on no other gateway package: the use cases report to {@link
 * io.doorpair.ipgw.ops.GatewayMetrics}, and {@code Gateway} wires the checks and gauges.
 */
package io.doorpair.ipgw.ops;
