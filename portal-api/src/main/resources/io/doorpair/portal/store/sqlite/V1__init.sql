-- Portal store, SQLite, version 1.
-- Serials: lowercase hex without leading zeros. Instants: UTC epoch milliseconds.
-- Owners are plain usernames, not foreign keys: a deleted user's gateways and certificates stay.

CREATE TABLE users (
  username   TEXT    NOT NULL PRIMARY KEY,
  ha1_sha256 TEXT    NOT NULL,
  ha1_md5    TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- Rows are never deleted: a domain is never issued twice.
CREATE TABLE gateways (
  domain        TEXT    NOT NULL PRIMARY KEY,
  owner         TEXT    NOT NULL,
  friendly_name TEXT    NOT NULL,
  paired_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX gateways_by_owner ON gateways (owner, paired_at, domain);

CREATE TABLE certificates (
  serial         TEXT    NOT NULL PRIMARY KEY
                         CHECK (length(serial) BETWEEN 1 AND 40 AND serial NOT GLOB '*[^0-9a-f]*'),
  kind           TEXT    NOT NULL CHECK (kind IN ('app', 'gateway')),
  owner          TEXT    NOT NULL,
  common_name    TEXT    NOT NULL,
  gateway_domain TEXT    REFERENCES gateways (domain),
  instance       TEXT,
  friendly_name  TEXT    NOT NULL,
  pem            TEXT    NOT NULL,
  not_before     INTEGER NOT NULL,
  not_after      INTEGER NOT NULL,
  issued_at      INTEGER NOT NULL,
  revoked_at     INTEGER,
  revoke_reason  TEXT,
  renewed_from   TEXT    REFERENCES certificates (serial),
  CHECK ((kind = 'gateway') = (gateway_domain IS NOT NULL)),
  CHECK ((kind = 'app') = (instance IS NOT NULL)),
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
) STRICT;

CREATE INDEX certificates_by_owner ON certificates (owner, issued_at DESC, serial DESC);
CREATE INDEX certificates_revoked ON certificates (revoked_at, serial) WHERE revoked_at IS NOT NULL;
CREATE INDEX certificates_by_gateway ON certificates (gateway_domain) WHERE gateway_domain IS NOT NULL;
CREATE INDEX certificates_by_renewed_from ON certificates (renewed_from) WHERE renewed_from IS NOT NULL;
