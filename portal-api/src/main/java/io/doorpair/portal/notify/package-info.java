/**
 * Wake-ups after a write commits: topics published in-process or, with PostgreSQL, across portal
 * processes (LISTEN/NOTIFY), and long-polls that wait for them without holding a thread.
 */
package io.doorpair.portal.notify;
