-- Notifications of finding deadlines (issue #5): per-organization settings, and a delivery log that also records
-- which finding and event each channel has already been told about (so a digest never repeats them).

CREATE TABLE notification_settings (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL UNIQUE REFERENCES organizations (id),
  enabled boolean NOT NULL DEFAULT false,
  email_enabled boolean NOT NULL DEFAULT false,
  email_recipients text[] NOT NULL DEFAULT '{}' CHECK (cardinality(email_recipients) <= 50),
  webhook_enabled boolean NOT NULL DEFAULT false,
  webhook_url text CHECK (webhook_url IS NULL OR webhook_url ~ '^https?://'),
  -- sealed with the envelope-encryption helper (platform/keys): v1.<dataKeyId>.<ciphertext>
  webhook_secret_enc text,
  event_due_soon boolean NOT NULL DEFAULT true,
  due_soon_days integer NOT NULL DEFAULT 7 CHECK (due_soon_days BETWEEN 1 AND 90),
  event_overdue boolean NOT NULL DEFAULT true,
  event_new_critical boolean NOT NULL DEFAULT true,
  -- "new" critical/high/KEV findings are those first seen after this moment (when that event was switched on)
  new_critical_since timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE notification_deliveries (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
  kind text NOT NULL CHECK (kind IN ('digest', 'test')),
  status text NOT NULL CHECK (status IN ('pending', 'retrying', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  target text NOT NULL,
  subject text NOT NULL,
  -- the message as rendered when the digest was built (both languages), so a retry sends the same thing
  message jsonb NOT NULL,
  item_count integer NOT NULL DEFAULT 0,
  events jsonb NOT NULL DEFAULT '{}'::jsonb,
  job_id uuid,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  updated_at timestamptz NOT NULL
);
CREATE INDEX notification_deliveries_org_idx ON notification_deliveries (organization_id, created_at DESC);

CREATE TABLE notification_delivery_items (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
  finding_id uuid NOT NULL REFERENCES findings (id),
  event text NOT NULL CHECK (event IN ('due_soon', 'overdue', 'new_critical')),
  delivery_id uuid NOT NULL REFERENCES notification_deliveries (id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (organization_id, channel, finding_id, event)
);
CREATE INDEX notification_delivery_items_delivery_idx ON notification_delivery_items (delivery_id);
