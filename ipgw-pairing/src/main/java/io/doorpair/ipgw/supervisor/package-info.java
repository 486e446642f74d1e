/**
 * The kill switch (issue 5): the owner stops and starts the b2b service; by default a child process
 * supervised and restarted with backoff when it dies unexpectedly ({@link
 * io.doorpair.ipgw.supervisor.ChildB2b}), or a systemd unit ({@link
 * io.doorpair.ipgw.supervisor.SystemdB2b}); its state for the admin site; SIGHUP to the running b2b
 * when its files changed.
 */
package io.doorpair.ipgw.supervisor;
