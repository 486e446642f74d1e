/** Files the portal writes: atomically, secrets with mode 0600 from the first byte. */
package io.doorpair.portal.files;
