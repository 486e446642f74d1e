package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

/** Body of {@code POST /api/gateway/requests/ID/deny}: the empty object {@code {}}. */
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.NONE,
    getterVisibility = JsonAutoDetect.Visibility.NONE)
public record DenyRequest() {}
