/**
 * Operations: the portal's Prometheus metrics. The health checks, the management listener ({@code
 * --management}) and the SIP server's meters are portal-sip-edge's ({@code
 * io.doorpair.sipedge.ops}, shared with {@code portal-sip serve}). Depends on no other portal
 * package: the services report to {@link io.doorpair.portal.ops.PortalMetrics}, and {@code Portal}
 * wires the checks.
 */
package io.doorpair.portal.ops;
