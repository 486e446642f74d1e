/**
 * Operations on the portal side: the SIP server's Prometheus meters ({@link
 * io.doorpair.sipedge.ops.SipEdgeMetrics}, on the registry of whichever process runs the server),
 * health checks with deadlines and the management listener ({@code --management}) that serves
 * {@code /metrics} and {@code /health}. {@code portal serve} and {@code portal-sip serve} both use
 * these: the one copy on the portal side (gateway modules never see it).
 */
package io.doorpair.sipedge.ops;
