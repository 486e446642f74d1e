-- Portal store, PostgreSQL, version 2: the access flow (guests, access requests, the gateways'
-- push channels, events). Instants: UTC epoch milliseconds. Nothing here is ever deleted except
-- guest invitations.

-- Per-gateway sequence counters: the last channel seq and event seq given out. A transaction
-- that appends takes the gateway row's lock, raises the counter and inserts in one go, so seqs of
-- a gateway commit in order and without gaps.
ALTER TABLE gateways ADD COLUMN channel_seq bigint NOT NULL DEFAULT 0 CHECK (channel_seq >= 0);
ALTER TABLE gateways ADD COLUMN event_seq bigint NOT NULL DEFAULT 0 CHECK (event_seq >= 0);

-- A deleted user's invitations go with them: a new user of the same name never inherits them.
CREATE TABLE guests (
  domain     text COLLATE "C" NOT NULL REFERENCES gateways (domain),
  username   text COLLATE "C" NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  invited_at bigint NOT NULL,
  PRIMARY KEY (domain, username)
);

CREATE INDEX guests_by_username ON guests (username, invited_at, domain);

CREATE TABLE access_requests (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain             text COLLATE "C" NOT NULL REFERENCES gateways (domain),
  username           text COLLATE "C" NOT NULL,
  instance           text   NOT NULL,
  serial             text COLLATE "C" NOT NULL REFERENCES certificates (serial),
  certificate_pem    text   NOT NULL,
  friendly_name      text   NOT NULL,
  status             text   NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'void')),
  sip_username       text,
  encrypted_password text,
  gruu               text,
  created_at         bigint NOT NULL,
  decided_at         bigint,
  CHECK ((status = 'approved'
          AND sip_username IS NOT NULL AND encrypted_password IS NOT NULL AND gruu IS NOT NULL)
      OR (status <> 'approved'
          AND sip_username IS NULL AND encrypted_password IS NULL AND gruu IS NULL)),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);

-- At most one live (pending or approved) request per user, device instance and gateway, even
-- when two portal processes create one at the same moment. The user is part of the key: an app
-- may propose its instance id, and two users of one shared device have the same one.
CREATE UNIQUE INDEX access_requests_live ON access_requests (domain, username, instance)
  WHERE status IN ('pending', 'approved');
CREATE INDEX access_requests_by_device ON access_requests (domain, username, instance, id);
CREATE INDEX access_requests_by_user ON access_requests (username, domain, status);
CREATE INDEX access_requests_pending_by_serial ON access_requests (serial)
  WHERE status = 'pending';

CREATE TABLE channel_items (
  domain     text COLLATE "C" NOT NULL REFERENCES gateways (domain),
  seq        bigint NOT NULL CHECK (seq > 0),
  kind       text   NOT NULL CHECK (kind IN ('new', 'voided')),
  request_id bigint NOT NULL REFERENCES access_requests (id),
  PRIMARY KEY (domain, seq),
  UNIQUE (request_id, kind)
);

-- The payload is kept as text, byte for byte as the gateway posted it.
CREATE TABLE events (
  domain      text COLLATE "C" NOT NULL REFERENCES gateways (domain),
  seq         bigint NOT NULL CHECK (seq > 0),
  event_id    text COLLATE "C" NOT NULL,
  kind        text   NOT NULL CHECK (kind IN ('journal', 'topology', 'acl', 'accounts')),
  occurred_at bigint NOT NULL,
  payload     text   NOT NULL,
  received_at bigint NOT NULL,
  PRIMARY KEY (domain, seq),
  UNIQUE (domain, event_id)
);
