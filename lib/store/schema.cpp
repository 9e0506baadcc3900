#include "store/schema.hpp"

namespace fieldbook::store {

// Each entry upgrades the store by one version and never changes once released: a new need
// is a new entry. Every record has an integer id for joins, a UUIDv7 for identity across
// stores, created/updated instants (UTC, ISO 8601) and a tombstone (deleted_at) instead of
// deletion.
const std::vector<std::string_view>& migrations() {
    static const std::vector<std::string_view> steps = {
        // v1: the team, the places, the companies, the people met and the visits.
        R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE rep (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    handle     TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT 'rep' CHECK (role IN ('rep', 'manager', 'leader')),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    phone      TEXT,
    email      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE building (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    address    TEXT,
    district   TEXT,
    floors     INTEGER,
    property_contact TEXT,
    notes      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX building_by_key ON building (name_key);
CREATE TABLE customer (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    loose_key       TEXT NOT NULL,
    building_id     INTEGER REFERENCES building (id),
    floor           TEXT,
    room            TEXT,
    industry        TEXT,
    headcount       INTEGER CHECK (headcount IS NULL OR headcount >= 0),
    office_size     TEXT,
    brands          TEXT,
    usage           TEXT,
    source          TEXT NOT NULL DEFAULT 'sweep'
                    CHECK (source IN ('sweep', 'referral', 'directory', 'web', 'press', 'other')),
    referred_by     INTEGER REFERENCES customer (id),
    owner_id        INTEGER REFERENCES rep (id),
    status          TEXT NOT NULL DEFAULT 'prospect'
                    CHECK (status IN ('prospect', 'contacted', 'interested', 'negotiating',
                                      'customer', 'lost', 'dormant')),
    no_solicitation INTEGER NOT NULL DEFAULT 0 CHECK (no_solicitation IN (0, 1)),
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX customer_by_key ON customer (name_key);
CREATE INDEX customer_by_loose_key ON customer (loose_key);
CREATE INDEX customer_by_room ON customer (building_id, floor, room);
CREATE TABLE contact (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customer (id),
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    title       TEXT,
    role        TEXT NOT NULL DEFAULT 'other'
                CHECK (role IN ('gatekeeper', 'purchaser', 'decision-maker', 'inside', 'other')),
    phone       TEXT,
    email       TEXT,
    card        INTEGER NOT NULL DEFAULT 0 CHECK (card IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX contact_by_customer ON contact (customer_id, name_key);
CREATE TABLE visit (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    rep_id        INTEGER NOT NULL REFERENCES rep (id),
    customer_id   INTEGER NOT NULL REFERENCES customer (id),
    contact_id    INTEGER REFERENCES contact (id),
    kind          TEXT NOT NULL DEFAULT 'initial'
                  CHECK (kind IN ('initial', 'revisit', 'phone', 'email', 'negotiation',
                                  'after-sales')),
    at_utc        TEXT NOT NULL,
    day           TEXT NOT NULL,
    outcome       TEXT NOT NULL
                  CHECK (outcome IN ('refused', 'absent', 'contact', 'interest', 'intent',
                                     'order')),
    headcount     INTEGER CHECK (headcount IS NULL OR headcount >= 0),
    office_size   TEXT,
    brands        TEXT,
    usage         TEXT,
    note          TEXT,
    went_well     TEXT,
    improve       TEXT,
    tool_feedback TEXT,
    script        TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX visit_by_day ON visit (day);
CREATE INDEX visit_by_rep_day ON visit (rep_id, day);
CREATE INDEX visit_by_customer_day ON visit (customer_id, day);
CREATE TABLE followup (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    customer_id     INTEGER NOT NULL REFERENCES customer (id),
    rep_id          INTEGER NOT NULL REFERENCES rep (id),
    due_day         TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT 'phone' CHECK (channel IN ('phone', 'email', 'visit')),
    reason          TEXT NOT NULL DEFAULT 'progress'
                    CHECK (reason IN ('progress', 'collection', 'negotiation')),
    state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'dropped')),
    note            TEXT,
    result          TEXT,
    origin_visit_id INTEGER REFERENCES visit (id),
    closed_visit_id INTEGER REFERENCES visit (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX followup_by_state_due ON followup (state, due_day);
CREATE INDEX followup_by_rep_state_due ON followup (rep_id, state, due_day);
CREATE INDEX followup_by_customer ON followup (customer_id);
)sql",
        // v2: substring search over visits. A trigram index answers terms of three or more
        // characters; shorter Chinese terms (客户) are scanned, which the body column keeps cheap.
        R"sql(
CREATE VIRTUAL TABLE visit_search USING fts5 (body, tokenize = 'trigram');
)sql",
        // v3: the end-of-day meeting (quotas, notes, the archived summary and its approval)
        // and the team record (learning tasks, the manager's notes on conduct).
        R"sql(
CREATE TABLE plan (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    day        TEXT NOT NULL,
    rep_id     INTEGER NOT NULL REFERENCES rep (id),
    visits     INTEGER NOT NULL CHECK (visits >= 0),
    goal       TEXT,
    set_by     INTEGER NOT NULL REFERENCES rep (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX plan_by_day_rep ON plan (day, rep_id);
CREATE TABLE meeting_note (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    day        TEXT NOT NULL,
    rep_id     INTEGER NOT NULL REFERENCES rep (id),
    kind       TEXT NOT NULL
               CHECK (kind IN ('self-review', 'tool-feedback', 'idea', 'manager')),
    text       TEXT NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES rep (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX meeting_note_by_day ON meeting_note (day, rep_id);
CREATE TABLE meeting (
    id               INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL UNIQUE,
    day              TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL DEFAULT 'daily' CHECK (kind IN ('daily', 'sharing')),
    markdown         TEXT,
    sha256           TEXT,
    records_sha256   TEXT,
    closed_by        INTEGER REFERENCES rep (id),
    closed_at        TEXT,
    approved_by      INTEGER REFERENCES rep (id),
    approved_at      TEXT,
    approval_comment TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
);
CREATE TABLE rep_task (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    rep_id      INTEGER NOT NULL REFERENCES rep (id),
    text        TEXT NOT NULL,
    due_day     TEXT,
    done_at     TEXT,
    assigned_by INTEGER NOT NULL REFERENCES rep (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX rep_task_by_rep ON rep_task (rep_id, done_at);
CREATE TABLE rep_note (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    rep_id     INTEGER NOT NULL REFERENCES rep (id),
    kind       TEXT NOT NULL CHECK (kind IN ('commend', 'coach', 'warn')),
    text       TEXT NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES rep (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX rep_note_by_rep ON rep_note (rep_id, kind);
)sql",
        // v4: orders, their lines and payments; money in integer cents. A collection follow-up
        // names the order whose balance it chases.
        R"sql(
CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    customer_id   INTEGER NOT NULL REFERENCES customer (id),
    rep_id        INTEGER NOT NULL REFERENCES rep (id),
    day           TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),
    cost_cents    INTEGER CHECK (cost_cents IS NULL OR cost_cents >= 0),
    due_day       TEXT,
    note          TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX orders_by_customer ON orders (customer_id, day);
CREATE INDEX orders_by_day ON orders (day);
CREATE TABLE order_line (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    order_id          INTEGER NOT NULL REFERENCES orders (id),
    sku               TEXT NOT NULL,
    name              TEXT NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    list_price_cents  INTEGER NOT NULL CHECK (list_price_cents >= 0),
    unit_price_cents  INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    line_cents        INTEGER NOT NULL CHECK (line_cents >= 0),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT
);
CREATE INDEX order_line_by_order ON order_line (order_id);
CREATE TABLE payment (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    day          TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    note         TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX payment_by_order ON payment (order_id);
ALTER TABLE followup ADD COLUMN order_id INTEGER REFERENCES orders (id);
)sql",
        // v5: the fingerprint that tells whether a closed day's records changed is taken from
        // the records (meeting_fingerprint.hpp), "v1:<sha256>", no longer from the rendered
        // summary. A new column rather than new values in records_sha256: that column keeps
        // what releases before v5 compared (a hash of rendered prose), so an archive keeps the
        // evidence it was checked against, and a value never has two meanings; days closed
        // from v5 on leave it empty. The version
        // prefix inside the value lets the serialisation change without another column.
        // Existing archives are filled once the schema is current (Store::migrate).
        R"sql(
ALTER TABLE meeting ADD COLUMN records_fingerprint TEXT;
)sql",
        // v6: the operation log. A command is one fieldbook invocation (its argv and who ran
        // it); an operation is one record call of it (insert, update of changed fields,
        // tombstone) with the old and new values as JSON objects. Written by the record calls
        // of Tx only, and only appended to: undo is a new command, never an edit of the log.
        // Not records themselves: neither table has a `uuid` column (record_tables.hpp). An
        // operation is known across stores by its command's UUID and its place in the command;
        // it draws no UUID of its own, so logging leaves the records' UUID sequence as it was.
        R"sql(
CREATE TABLE command (
    id           INTEGER PRIMARY KEY,
    command_uuid TEXT NOT NULL UNIQUE,
    actor        TEXT NOT NULL,
    argv         TEXT NOT NULL,
    at_utc       TEXT NOT NULL
);
CREATE INDEX command_by_actor ON command (actor, id);
CREATE TABLE op_log (
    id           INTEGER PRIMARY KEY,
    command_id   INTEGER NOT NULL REFERENCES command (id),
    at_utc       TEXT NOT NULL,
    record_table TEXT NOT NULL,
    record_uuid  TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('insert', 'update', 'tombstone')),
    old_values   TEXT NOT NULL,
    new_values   TEXT NOT NULL
);
CREATE INDEX op_log_by_command ON op_log (command_id);
CREATE INDEX op_log_by_record ON op_log (record_table, record_uuid);
)sql",
        // v7: undo is a command of its own whose operations invert another's; `undoes` names
        // that command by its UUID (ids are local to a store, a UUID holds across stores), so
        // a command is undone while a command that undoes it exists, and undoing an undo redoes.
        // Each operation gets a UUIDv7 of its own (op_uuid, not `uuid`: an operation is not a
        // record), by which another store applies it once however often it is sent; the
        // operations logged under v6 keep none. Not indexed here: a laptop never looks its own
        // operations up by it, and an index on it would slow every write (the store that
        // receives operations indexes them).
        R"sql(
ALTER TABLE command ADD COLUMN undoes TEXT;
CREATE INDEX command_by_undoes ON command (undoes);
ALTER TABLE op_log ADD COLUMN op_uuid TEXT;
)sql",
        // v8: sync with a team server (lib/store/sync/). An operation received from another
        // store keeps the device that made it (`device`; none for this store's own), and is
        // applied once: received operations are unique by op_uuid (a partial index, so that
        // this store's own writes pay nothing for it). A conflict is two edits of one field
        // made without either seeing the other; the loser's value is kept here. An operation
        // the other side refused waits in quarantine, with the reason. A building is the team's:
        // one added on two devices while apart is one building, matched by its name key, and
        // the UUID the other store gave it is kept here as an alias of this store's.
        R"sql(
ALTER TABLE op_log ADD COLUMN device TEXT;
CREATE UNIQUE INDEX op_log_received ON op_log (op_uuid) WHERE device IS NOT NULL;
CREATE TABLE sync_conflict (
    id            INTEGER PRIMARY KEY,
    at_utc        TEXT NOT NULL,
    pushed_by     TEXT NOT NULL,
    record_table  TEXT NOT NULL,
    record_uuid   TEXT NOT NULL,
    field         TEXT NOT NULL,
    kept_value    TEXT NOT NULL,
    kept_op_uuid  TEXT NOT NULL,
    kept_device   TEXT NOT NULL,
    lost_value    TEXT NOT NULL,
    lost_op_uuid  TEXT NOT NULL,
    lost_device   TEXT NOT NULL
);
CREATE TABLE sync_quarantine (
    id           INTEGER PRIMARY KEY,
    at_utc       TEXT NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('push', 'pull')),
    op_uuid      TEXT NOT NULL,
    command_uuid TEXT NOT NULL,
    record_table TEXT NOT NULL,
    record_uuid  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    new_values   TEXT NOT NULL,
    reason       TEXT NOT NULL
);
CREATE TABLE sync_alias (
    record_table TEXT NOT NULL,
    uuid         TEXT NOT NULL,
    local_uuid   TEXT NOT NULL,
    PRIMARY KEY (record_table, uuid)
);
)sql",
        // v9: mending and the rest of a customer's story.
        // - A merged customer is tombstoned and names the one it went into (merged_into), so
        //   its old id and name still find the survivor.
        // - An order is cancelled rather than tombstoned (its record stays, with the day and
        //   the reason); money paid on it is returned (refunded_cents) before it is cancelled.
        // - A payment names who took it.
        // - A follow-up may be an after-sales check. SQLite cannot change a CHECK constraint in
        //   place, so the table is rebuilt with the same columns, in the same order, under the
        //   same name and indexes; nothing references follow-ups by id.
        // - The negotiation brief (one per customer, field by field) and the needs the
        //   customers ask for that the catalog cannot meet yet, one row per need, so that
        //   purchasing sees them across customers.
        // - Indexes for what a day's meeting and a customer's page ask: the day's payments (on
        //   orders of any day), the balances past due, a rep's customers, whom a customer
        //   referred and which customers were merged into it, and the follow-ups of an order
        //   (cancelling it) or of a visit (moving it) (partial where most rows have no value).
        R"sql(
ALTER TABLE customer ADD COLUMN merged_into INTEGER REFERENCES customer (id);
ALTER TABLE orders ADD COLUMN cancelled_day TEXT;
ALTER TABLE orders ADD COLUMN cancel_reason TEXT;
ALTER TABLE orders ADD COLUMN refunded_cents INTEGER
    CHECK (refunded_cents IS NULL OR refunded_cents >= 0);
ALTER TABLE payment ADD COLUMN rep_id INTEGER REFERENCES rep (id);
CREATE TABLE followup_v9 (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    customer_id     INTEGER NOT NULL REFERENCES customer (id),
    rep_id          INTEGER NOT NULL REFERENCES rep (id),
    due_day         TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT 'phone' CHECK (channel IN ('phone', 'email', 'visit')),
    reason          TEXT NOT NULL DEFAULT 'progress'
                    CHECK (reason IN ('progress', 'collection', 'negotiation', 'after-sales')),
    state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'dropped')),
    note            TEXT,
    result          TEXT,
    origin_visit_id INTEGER REFERENCES visit (id),
    closed_visit_id INTEGER REFERENCES visit (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT,
    order_id        INTEGER REFERENCES orders (id)
);
INSERT INTO followup_v9 SELECT id, uuid, customer_id, rep_id, due_day, channel, reason, state,
    note, result, origin_visit_id, closed_visit_id, created_at, updated_at, deleted_at, order_id
    FROM followup;
DROP TABLE followup;
ALTER TABLE followup_v9 RENAME TO followup;
CREATE INDEX followup_by_state_due ON followup (state, due_day);
CREATE INDEX followup_by_rep_state_due ON followup (rep_id, state, due_day);
CREATE INDEX followup_by_customer ON followup (customer_id);
CREATE TABLE negotiation_brief (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    customer_id    INTEGER NOT NULL REFERENCES customer (id),
    concerns       TEXT,
    can_concede    TEXT,
    cannot_concede TEXT,
    strengths      TEXT,
    weaknesses     TEXT,
    guidance       TEXT,
    resources      TEXT,
    team           TEXT,
    unmet_needs    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);
CREATE INDEX negotiation_brief_by_customer ON negotiation_brief (customer_id);
CREATE TABLE unmet_need (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customer (id),
    item        TEXT NOT NULL,
    item_key    TEXT NOT NULL,
    volume      INTEGER CHECK (volume IS NULL OR volume >= 0),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX unmet_need_by_customer ON unmet_need (customer_id);
CREATE INDEX unmet_need_by_key ON unmet_need (item_key);
CREATE INDEX payment_by_day ON payment (day);
CREATE INDEX orders_by_due_day ON orders (due_day) WHERE due_day IS NOT NULL;
CREATE INDEX customer_by_owner ON customer (owner_id);
CREATE INDEX customer_by_referrer ON customer (referred_by) WHERE referred_by IS NOT NULL;
CREATE INDEX customer_by_merged_into ON customer (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX followup_by_order ON followup (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX followup_by_origin_visit ON followup (origin_visit_id)
    WHERE origin_visit_id IS NOT NULL;
)sql",
    };
    return steps;
}

}  // namespace fieldbook::store
