#include "store/team_server.hpp"

#include <fmt/format.h>

#include "errors.hpp"
#include "store/postgres/pg_engine.hpp"
#include "store/store.hpp"

namespace fieldbook::store {
namespace {

postgres::PgEngine& server(Store& store) {
    if (auto* engine = dynamic_cast<postgres::PgEngine*>(&store.engine())) return *engine;
    throw UsageError(fmt::format("{} is a store file, not a team server", store.path().string()),
                     "pass --db postgresql://… (see fieldbook-server(1))");
}

// A role name as SQL writes it (handles are plain, but are quoted all the same).
std::string role_name(const std::string& name) {
    std::string out = "\"";
    for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

// Who may do what, table by table (DESIGN.md, the team server). `me` is the connecting rep's
// id, `team_role` their fieldbook role. Policies of one table and command are alternatives
// (PostgreSQL ORs permissive policies): what a rep owns, or what a manager or leader may.
constexpr const char* kPolicies = R"sql(

-- The team, its buildings and its settings are everyone's to read.
CREATE POLICY everyone_reads ON rep FOR SELECT USING (true);
CREATE POLICY own_row ON rep FOR UPDATE USING (id = fieldbook_me()) WITH CHECK (id = fieldbook_me());
CREATE POLICY everyone_reads ON building FOR SELECT USING (true);
CREATE POLICY everyone_adds ON building FOR INSERT WITH CHECK (true);
CREATE POLICY everyone_fills ON building FOR UPDATE USING (true) WITH CHECK (true);
CREATE POLICY everyone_reads ON meta FOR SELECT USING (true);
-- A closed day is closed for every writer, so every rep reads the meetings.
CREATE POLICY everyone_reads ON meeting FOR SELECT USING (true);
CREATE POLICY leader_approves ON meeting FOR UPDATE
  USING (fieldbook_team_role() = 'leader') WITH CHECK (fieldbook_team_role() = 'leader');

-- A rep's own visits, follow-ups, orders and notes. They are written only at a customer the rep
-- already sees: a visit makes its customer (and the customer's contacts) visible to its rep, so
-- a visit to any customer id would let a rep read and take over another rep's customers.
CREATE POLICY own ON visit USING (rep_id = fieldbook_me())
  WITH CHECK (rep_id = fieldbook_me() AND fieldbook_sees_customer(customer_id, fieldbook_me()));
CREATE POLICY own ON followup USING (rep_id = fieldbook_me())
  WITH CHECK (rep_id = fieldbook_me() AND fieldbook_sees_customer(customer_id, fieldbook_me()));
CREATE POLICY own ON orders USING (rep_id = fieldbook_me())
  WITH CHECK (rep_id = fieldbook_me() AND fieldbook_sees_customer(customer_id, fieldbook_me()));
-- A rep reads the notes on their day and those they wrote, but writes only on their own day
-- (as fieldbook does: another rep's day is a manager's or leader's to note).
CREATE POLICY own ON meeting_note USING (rep_id = fieldbook_me() OR author_id = fieldbook_me())
  WITH CHECK (rep_id = fieldbook_me() AND author_id = fieldbook_me() AND kind <> 'manager');
CREATE POLICY own_reads ON plan FOR SELECT USING (rep_id = fieldbook_me());
CREATE POLICY own_reads ON rep_note FOR SELECT USING (rep_id = fieldbook_me());
CREATE POLICY own_reads ON rep_task FOR SELECT USING (rep_id = fieldbook_me());
CREATE POLICY own_ticks ON rep_task FOR UPDATE USING (rep_id = fieldbook_me())
  WITH CHECK (rep_id = fieldbook_me());

-- The customers a rep owns or has visited, and what hangs off them.
CREATE POLICY own_or_visited ON customer
  USING (owner_id = fieldbook_me()
         OR EXISTS (SELECT 1 FROM visit v WHERE v.customer_id = customer.id
                                            AND v.rep_id = fieldbook_me()))
  WITH CHECK (owner_id IS NULL OR owner_id = fieldbook_me()
              OR EXISTS (SELECT 1 FROM visit v WHERE v.customer_id = customer.id
                                                 AND v.rep_id = fieldbook_me()));
CREATE POLICY of_visible_customer ON contact
  USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = contact.customer_id))
  WITH CHECK (EXISTS (SELECT 1 FROM customer c WHERE c.id = contact.customer_id));
CREATE POLICY of_visible_customer ON negotiation_brief
  USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = negotiation_brief.customer_id))
  WITH CHECK (EXISTS (SELECT 1 FROM customer c WHERE c.id = negotiation_brief.customer_id));
CREATE POLICY of_visible_customer ON unmet_need
  USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = unmet_need.customer_id))
  WITH CHECK (EXISTS (SELECT 1 FROM customer c WHERE c.id = unmet_need.customer_id));
CREATE POLICY of_visible_order ON order_line
  USING (EXISTS (SELECT 1 FROM orders o WHERE o.id = order_line.order_id))
  WITH CHECK (EXISTS (SELECT 1 FROM orders o WHERE o.id = order_line.order_id));
CREATE POLICY of_visible_order ON payment
  USING (EXISTS (SELECT 1 FROM orders o WHERE o.id = payment.order_id))
  WITH CHECK (EXISTS (SELECT 1 FROM orders o WHERE o.id = payment.order_id));
CREATE POLICY of_visible_visit ON visit_search
  USING (EXISTS (SELECT 1 FROM visit v WHERE v.id = visit_search.visit_id))
  WITH CHECK (EXISTS (SELECT 1 FROM visit v WHERE v.id = visit_search.visit_id));

-- A rep's own commands and their operations; and, to read (what `sync` pulls), the operations
-- on the records they may see and the commands those were made in. Only for the team's
-- groups: the functions read as the owner, whom these policies would otherwise send round.
CREATE POLICY own ON command USING (actor = current_user) WITH CHECK (actor = current_user);
CREATE POLICY of_seen_operation ON command FOR SELECT
  TO fieldbook_rep, fieldbook_manager, fieldbook_leader
  USING (EXISTS (SELECT 1 FROM op_log o WHERE o.command_id = command.id));
CREATE POLICY own_operation ON op_log TO fieldbook_rep, fieldbook_manager, fieldbook_leader
  USING (fieldbook_command_actor(command_id) = current_user)
  WITH CHECK (fieldbook_command_actor(command_id) = current_user);
CREATE POLICY on_seen_record ON op_log FOR SELECT
  TO fieldbook_rep, fieldbook_manager, fieldbook_leader
  USING (fieldbook_sees_record(record_table, record_uuid));
-- A building's other UUIDs (sync matches one added on two devices apart): the team's, as its
-- buildings are.
CREATE POLICY everyone_reads ON sync_alias FOR SELECT USING (true);
CREATE POLICY everyone_adds ON sync_alias FOR INSERT WITH CHECK (record_table = 'building');
-- The conflicts a rep's pushes found.
CREATE POLICY own_push ON sync_conflict USING (pushed_by = current_user)
  WITH CHECK (pushed_by = current_user);
)sql";

// Who is connecting, as the policies ask it. The table is named with its schema: a body read
// with the caller's search_path would take a temporary table `rep` of theirs for the team's.
constexpr const char* kWho = R"sql(
CREATE OR REPLACE FUNCTION fieldbook_me() RETURNS bigint LANGUAGE sql STABLE AS
  $$ SELECT id FROM public.rep WHERE handle = current_user AND deleted_at IS NULL $$;
CREATE OR REPLACE FUNCTION fieldbook_team_role() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT role FROM public.rep WHERE handle = current_user AND deleted_at IS NULL $$;
-- Whether rep `me` sees a customer (the customer policy's test). It runs as the owner because
-- the visit policies ask it, and the customer policy reads visits: asked as the rep, the two
-- policies would call each other (PostgreSQL refuses that as infinite recursion).
CREATE OR REPLACE FUNCTION fieldbook_sees_customer(customer_id bigint, me bigint)
  RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
  $$ SELECT EXISTS (SELECT 1 FROM public.customer c
                    WHERE c.id = customer_id
                      AND (c.owner_id = me
                           OR EXISTS (SELECT 1 FROM public.visit v WHERE v.customer_id = c.id
                                                              AND v.rep_id = me))) $$;
-- Who made a command: asked by the operation policies, as the owner (a rep's policy on the
-- commands reads the operations).
CREATE OR REPLACE FUNCTION fieldbook_command_actor(command_id bigint)
  RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
  $$ SELECT actor FROM public.command WHERE id = command_id $$;
-- Whether the caller sees a record, by its table's own policies (it runs as the caller).
CREATE OR REPLACE FUNCTION fieldbook_sees_record(record_table text, record_uuid text)
  RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE seen boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I WHERE uuid = $1)', record_table)
        INTO seen USING record_uuid;
    RETURN seen;
END $$;
)sql";

// A customer another rep owns stays theirs: only a manager (or the owner's login, which is no
// rep) gives it to someone else, whatever a rep's visit made them able to see.
constexpr const char* kKeepOwner = R"sql(
CREATE OR REPLACE FUNCTION fieldbook_keep_owner() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.owner_id IS NOT NULL AND NEW.owner_id IS DISTINCT FROM OLD.owner_id
       AND (pg_has_role(current_user, 'fieldbook_rep', 'MEMBER')
            OR pg_has_role(current_user, 'fieldbook_leader', 'MEMBER'))
       AND public.fieldbook_team_role() IS DISTINCT FROM 'manager' THEN
        RAISE EXCEPTION 'customer #%: only a manager gives another rep''s customer away', OLD.id
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS keep_owner ON customer;
CREATE TRIGGER keep_owner BEFORE UPDATE ON customer
    FOR EACH ROW EXECUTE FUNCTION fieldbook_keep_owner();
)sql";

// Every table of the store, in the current schema.
constexpr const char* kTables = R"sql(
SELECT c.relname AS name FROM pg_class c
WHERE c.relkind = 'r' AND c.relnamespace = to_regnamespace(current_schema())
ORDER BY c.relname)sql";

}  // namespace

std::string group_role(const std::string& fieldbook_role) {
    return "fieldbook_" + fieldbook_role;
}

void secure_team_server(Store& store) {
    auto& pg = server(store);
    std::string owner = pg.login_role().value_or("");
    std::vector<std::string> tables;
    pg.query(kTables, {}, [&](const Row& row) { tables.push_back(row.text("name")); });
    const std::string rep = group_role("rep"), manager = group_role("manager"),
                      leader = group_role("leader");
    std::string sql;
    for (const auto& group : {rep, manager, leader})
        sql += fmt::format(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{0}') THEN "
            "CREATE ROLE {0} NOLOGIN; END IF; END $$;\n",
            group);
    // What each group may do at all; the policies below narrow it to rows. No one deletes:
    // a record is tombstoned, and only the search index drops rows.
    sql += fmt::format("GRANT USAGE ON SCHEMA {0} TO {1}, {2}, {3};\n", "public", rep, manager,
                       leader);
    sql += fmt::format("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {}, {};\n",
                       rep, manager);
    sql += fmt::format("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {};\n", leader);
    sql += fmt::format("GRANT INSERT, UPDATE ON meeting, command, op_log TO {};\n", leader);
    sql += fmt::format("GRANT DELETE ON visit_search TO {}, {};\n", rep, manager);
    // A rep edits their own name, phone and email, and ticks their tasks off; their role,
    // handle and standing, and what a task says, are the manager's (as the write rule has it).
    sql += fmt::format("REVOKE UPDATE ON rep, rep_task FROM {0}, {1};\n", rep, leader);
    sql += fmt::format("GRANT UPDATE (name, phone, email, updated_at) ON rep TO {};\n", rep);
    sql += fmt::format("GRANT UPDATE (done_at, updated_at) ON rep_task TO {};\n", rep);
    // No one but the owner makes tables, temporary ones included.
    sql +=
        "DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', "
        "current_database()); END $$;\n";
    sql += fmt::format("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}, {}, {};\n", rep,
                       manager, leader);
    // Ids count every row, seen or not: the function runs as the owner (engine.hpp).
    sql +=
        "ALTER FUNCTION fieldbook_next_id(regclass) SECURITY DEFINER "
        "SET search_path = pg_catalog, pg_temp;\n";
    sql += "REVOKE ALL ON FUNCTION fieldbook_next_id(regclass) FROM PUBLIC;\n";
    sql += fmt::format("GRANT EXECUTE ON FUNCTION fieldbook_next_id(regclass) TO {}, {}, {};\n",
                       rep, manager, leader);
    sql += kWho;
    sql += "REVOKE ALL ON FUNCTION fieldbook_sees_customer(bigint, bigint) FROM PUBLIC;\n";
    sql += "REVOKE ALL ON FUNCTION fieldbook_command_actor(bigint) FROM PUBLIC;\n";
    sql += fmt::format("GRANT EXECUTE ON FUNCTION fieldbook_command_actor(bigint) TO {}, {}, {};\n",
                       rep, manager, leader);
    sql += fmt::format(
        "GRANT EXECUTE ON FUNCTION fieldbook_sees_customer(bigint, bigint) TO {}, {}, {};\n", rep,
        manager, leader);
    // Policies are made afresh, so that running this again brings an older server's up to date.
    for (const auto& table : tables) {
        sql += fmt::format(
            "DO $$ DECLARE p record; BEGIN FOR p IN SELECT policyname FROM pg_policies WHERE "
            "schemaname = current_schema() AND tablename = '{0}' LOOP EXECUTE format('DROP "
            "POLICY %I ON {0}', p.policyname); END LOOP; END $$;\n",
            table);
        sql += fmt::format("ALTER TABLE {0} ENABLE ROW LEVEL SECURITY;\n", table);
        sql += fmt::format("ALTER TABLE {0} FORCE ROW LEVEL SECURITY;\n", table);
        // The owner administers (server add-rep, upgrades); a manager sees and writes the
        // whole team's records, a leader reads them all.
        sql += fmt::format(
            "CREATE POLICY owner_administers ON {0} TO {1} USING (true) "
            "WITH CHECK (true);\n",
            table, role_name(owner));
        sql += fmt::format(
            "CREATE POLICY manager_runs_the_team ON {0} USING (fieldbook_team_role() = "
            "'manager') WITH CHECK (fieldbook_team_role() = 'manager');\n",
            table);
        sql += fmt::format(
            "CREATE POLICY leader_reads ON {0} FOR SELECT USING "
            "(fieldbook_team_role() = 'leader');\n",
            table);
    }
    sql += kPolicies;
    sql += kKeepOwner;
    pg.script(sql);
}

bool is_team_server(Store& store) {
    auto* pg = dynamic_cast<postgres::PgEngine*>(&store.engine());
    if (!pg) return false;
    bool secured = false;
    pg->query("SELECT relforcerowsecurity AS secured FROM pg_class WHERE oid = to_regclass('rep')",
              {}, [&](const Row& row) { secured = row.integer("secured") != 0; });
    return secured;
}

void create_login(Store& store, const std::string& handle, const std::string& fieldbook_role) {
    auto& pg = server(store);
    bool exists = false, privileged = false;
    pg.query(
        "SELECT rolsuper OR rolbypassrls OR rolcreaterole AS privileged FROM pg_roles "
        "WHERE rolname = ?",
        {handle}, [&](const Row& row) {
            exists = true;
            privileged = row.integer("privileged") != 0;
        });
    // A role that passes the policies, or makes roles, would make a rep who sees everything.
    if (privileged)
        throw UsageError(fmt::format("{} is a privileged role on the server (a superuser, or one "
                                     "that bypasses row-level security or creates roles), not a "
                                     "rep's login",
                                     handle),
                         "choose another handle");
    std::string group = group_role(fieldbook_role);
    if (!exists) pg.script(fmt::format("CREATE ROLE {} LOGIN", role_name(handle)));
    pg.script(fmt::format("GRANT {} TO {}", group, role_name(handle)));
}

}  // namespace fieldbook::store
