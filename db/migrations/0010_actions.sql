-- Every action an agent takes from the panel (link, unlink, note, reply,
-- set_order_attribute): the audit trail, and the idempotency record that
-- makes a retried confirmation return the first one's result instead of
-- acting twice. The note's text is not kept, only the request's
-- fingerprint.
CREATE TABLE actions (
    id               INTEGER PRIMARY KEY,
    idempotency_key  TEXT    NOT NULL UNIQUE CHECK (idempotency_key <> '' AND length(idempotency_key) <= 128),
    fingerprint      TEXT    NOT NULL CHECK (fingerprint <> ''),
    action           TEXT    NOT NULL CHECK (action IN ('link', 'unlink', 'note', 'reply', 'set_order_attribute')),
    agent_name       TEXT    NOT NULL DEFAULT '', -- as the host's payload claims it: not verified
    agent_id         INTEGER NOT NULL DEFAULT 0 CHECK (agent_id >= 0),
    account_id       INTEGER NOT NULL CHECK (account_id > 0),
    conversation_id  INTEGER NOT NULL CHECK (conversation_id > 0),
    contact_id       INTEGER NOT NULL CHECK (contact_id > 0),
    target           TEXT    NOT NULL CHECK (target <> ''), -- customer ref or order number
    -- 'pending' until finished; then 'ok' or an error code.
    outcome          TEXT    NOT NULL DEFAULT 'pending' CHECK (outcome <> ''),
    -- 1 while pending, when it succeeded, or when its failure leaves it
    -- unknown whether Bevatel did it (a timeout): "added N minutes ago" counts these.
    maybe_applied    INTEGER NOT NULL DEFAULT 1 CHECK (maybe_applied IN (0, 1)),
    detail           TEXT    NOT NULL DEFAULT '', -- the error as shown to the agent
    message_id       INTEGER CHECK (message_id > 0), -- Bevatel's message id, for notes and replies
    started_at       INTEGER NOT NULL, -- unix seconds, UTC
    finished_at      INTEGER
) STRICT;

-- Serves RecentAction: "this order was added to this conversation N minutes ago".
CREATE INDEX actions_recent ON actions (account_id, conversation_id, action, target, started_at);
