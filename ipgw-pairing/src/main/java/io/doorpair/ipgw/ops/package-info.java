/**
 * Operations: the gateway agent's Prometheus metrics, its health checks, and the management
 * listener ({@code --management}) that serves both. Depends on no other gateway package: the use
 * cases report to {@link io.doorpair.ipgw.ops.GatewayMetrics}, and {@code Gateway} wires the checks
 * and gauges.
 */
package io.doorpair.ipgw.ops;
