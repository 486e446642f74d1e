/** The HTTPS API: every route in one place, request limits, JSON, and errors as status + JSON. */
package io.doorpair.portal.http;
