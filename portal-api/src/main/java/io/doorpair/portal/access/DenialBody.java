package io.doorpair.portal.access;

/** The body of {@code POST /api/gateway/requests/ID/deny}: the empty object {@code {}}. */
public record DenialBody() {}
