package io.doorpair.portal.access;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An access request as the gateway's channel shows it (specification step 6).
 *
 * @param requestId the id to approve or deny
 * @param username the requesting portal user
 * @param friendlyName the device's friendly name
 * @param instance {@code urn:uuid:...} of the requesting device
 * @param gruu the GRUU the gateway must send back when it approves
 * @param certificate the requesting app certificate, PEM: the gateway encrypts the password to its
 *     key and computes the public key hash from it
 * @param createdAt when the app asked, RFC 3339
 * @param status the request's status now
 */
public record ChannelRequest(
    @JsonProperty("request_id") long requestId,
    @JsonProperty("username") String username,
    @JsonProperty("friendly_name") String friendlyName,
    @JsonProperty("instance") String instance,
    @JsonProperty("gruu") String gruu,
    @JsonProperty("certificate") String certificate,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("status") String status) {}
