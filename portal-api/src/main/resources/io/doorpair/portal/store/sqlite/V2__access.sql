-- Portal store, SQLite, version 2: the access flow (guests, access requests, the gateways' push
-- channels, events). Instants: UTC epoch milliseconds. Nothing here is ever deleted except guest
-- invitations.

-- Per-gateway sequence counters: the last channel seq and event seq given out. Writers are
-- serialized (BEGIN IMMEDIATE), so raising the counter and inserting in one transaction gives
-- seqs that commit in order and without gaps.
ALTER TABLE gateways ADD COLUMN channel_seq INTEGER NOT NULL DEFAULT 0 CHECK (channel_seq >= 0);
ALTER TABLE gateways ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0 CHECK (event_seq >= 0);

-- A deleted user's invitations go with them: a new user of the same name never inherits them.
CREATE TABLE guests (
  domain     TEXT    NOT NULL REFERENCES gateways (domain),
  username   TEXT    NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  invited_at INTEGER NOT NULL,
  PRIMARY KEY (domain, username)
) STRICT;

CREATE INDEX guests_by_username ON guests (username, invited_at, domain);

-- AUTOINCREMENT: a request id is never given out twice, not even the id of a lost insert.
CREATE TABLE access_requests (
  id                 INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  domain             TEXT    NOT NULL REFERENCES gateways (domain),
  username           TEXT    NOT NULL,
  instance           TEXT    NOT NULL,
  serial             TEXT    NOT NULL REFERENCES certificates (serial),
  certificate_pem    TEXT    NOT NULL,
  friendly_name      TEXT    NOT NULL,
  status             TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'void')),
  sip_username       TEXT,
  encrypted_password TEXT,
  gruu               TEXT,
  created_at         INTEGER NOT NULL,
  decided_at         INTEGER,
  CHECK ((status = 'approved'
          AND sip_username IS NOT NULL AND encrypted_password IS NOT NULL AND gruu IS NOT NULL)
      OR (status <> 'approved'
          AND sip_username IS NULL AND encrypted_password IS NULL AND gruu IS NULL)),
  CHECK ((status = 'pending') = (decided_at IS NULL))
) STRICT;

-- At most one live (pending or approved) request per user, device instance and gateway. The
-- user is part of the key: an app may propose its instance id, and two users of one shared
-- device have the same one.
CREATE UNIQUE INDEX access_requests_live ON access_requests (domain, username, instance)
  WHERE status IN ('pending', 'approved');
CREATE INDEX access_requests_by_device ON access_requests (domain, username, instance, id);
CREATE INDEX access_requests_by_user ON access_requests (username, domain, status);
CREATE INDEX access_requests_pending_by_serial ON access_requests (serial)
  WHERE status = 'pending';

CREATE TABLE channel_items (
  domain     TEXT    NOT NULL REFERENCES gateways (domain),
  seq        INTEGER NOT NULL CHECK (seq > 0),
  kind       TEXT    NOT NULL CHECK (kind IN ('new', 'voided')),
  request_id INTEGER NOT NULL REFERENCES access_requests (id),
  PRIMARY KEY (domain, seq),
  UNIQUE (request_id, kind)
) STRICT;

-- The payload is kept as text, byte for byte as the gateway posted it.
CREATE TABLE events (
  domain      TEXT    NOT NULL REFERENCES gateways (domain),
  seq         INTEGER NOT NULL CHECK (seq > 0),
  event_id    TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('journal', 'topology', 'acl', 'accounts')),
  occurred_at INTEGER NOT NULL,
  payload     TEXT    NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (domain, seq),
  UNIQUE (domain, event_id)
) STRICT;
