-- Portal store, PostgreSQL, version 1.
-- Serials: lowercase hex without leading zeros. Instants: UTC epoch milliseconds.
-- Owners are plain usernames, not foreign keys: a deleted user's gateways and certificates stay.
-- Keys use the "C" collation, so that ordering is plain character order, as on SQLite.

CREATE TABLE users (
  username   text COLLATE "C" NOT NULL PRIMARY KEY,
  ha1_sha256 text   NOT NULL,
  ha1_md5    text   NOT NULL,
  created_at bigint NOT NULL
);

-- Rows are never deleted: a domain is never issued twice.
CREATE TABLE gateways (
  domain        text COLLATE "C" NOT NULL PRIMARY KEY,
  owner         text COLLATE "C" NOT NULL,
  friendly_name text   NOT NULL,
  paired_at     bigint NOT NULL
);

CREATE INDEX gateways_by_owner ON gateways (owner, paired_at, domain);

CREATE TABLE certificates (
  serial         text COLLATE "C" NOT NULL PRIMARY KEY CHECK (serial ~ '^[0-9a-f]{1,40}$'),
  kind           text   NOT NULL CHECK (kind IN ('app', 'gateway')),
  owner          text COLLATE "C" NOT NULL,
  common_name    text   NOT NULL,
  gateway_domain text COLLATE "C" REFERENCES gateways (domain),
  instance       text,
  friendly_name  text   NOT NULL,
  pem            text   NOT NULL,
  not_before     bigint NOT NULL,
  not_after      bigint NOT NULL,
  issued_at      bigint NOT NULL,
  revoked_at     bigint,
  revoke_reason  text,
  renewed_from   text COLLATE "C" REFERENCES certificates (serial),
  CHECK ((kind = 'gateway') = (gateway_domain IS NOT NULL)),
  CHECK ((kind = 'app') = (instance IS NOT NULL)),
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);

CREATE INDEX certificates_by_owner ON certificates (owner, issued_at DESC, serial DESC);
CREATE INDEX certificates_revoked ON certificates (revoked_at, serial) WHERE revoked_at IS NOT NULL;
CREATE INDEX certificates_by_gateway ON certificates (gateway_domain) WHERE gateway_domain IS NOT NULL;
CREATE INDEX certificates_by_renewed_from ON certificates (renewed_from) WHERE renewed_from IS NOT NULL;
