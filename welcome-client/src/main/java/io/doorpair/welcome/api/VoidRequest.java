package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

/**
 * Body of {@code POST /api/gateway/requests/ID/void}: the empty object {@code {}}. The gateway
 * voids a request it approved when the security code was typed wrong too often, or when the owner
 * removed the device's account.
 */
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.NONE,
    getterVisibility = JsonAutoDetect.Visibility.NONE)
public record VoidRequest() {}
