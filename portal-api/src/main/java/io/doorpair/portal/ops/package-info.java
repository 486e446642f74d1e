/**
 * Operations: the portal's Prometheus metrics, its health checks, and the management listener
 * ({@code --management}) that serves both. Depends on no other portal package: the services report
 * to {@link io.doorpair.portal.ops.PortalMetrics}, and {@code Portal} wires the checks.
 */
package io.doorpair.portal.ops;
