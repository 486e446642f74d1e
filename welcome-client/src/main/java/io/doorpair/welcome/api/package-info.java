/**
 * Wire records of the portal HTTPS API, shared by the portal, the gateway and the Welcome client:
 * one source of truth, no logic. Field names are the JSON names of the OpenAPI document.
 */
package io.doorpair.welcome.api;
