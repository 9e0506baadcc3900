"""Row-level security on a team server: what `server init` and `server add-rep` set up holds
for every program a rep uses, fieldbook or plain psql as the rep's own role.

Rep A (lina) and rep B (zhangwei) each log a day; A then tries to read, change, delete and
overwrite each kind of B's record. A manager runs the team and the meeting; a leader reads all
and approves. Runs on a database of the test cluster (see test_server.py)."""

import itertools
import os
import subprocess
import unittest

from fbtest import FieldbookTestCase
from test_server import cluster_url, with_database

RLS_REFUSED = "violates row-level security policy"
# Login roles are the cluster's, not a database's: each test's are its own.
_runs = itertools.count(1)


class TeamServerSecurityTest(FieldbookTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.url = cluster_url()

    def setUp(self):
        super().setUp()
        suffix = f"{os.getpid()}{next(_runs)}"
        self.dbname = f"fb_rls_{suffix}".lower()
        self.owner = f"owner_{suffix}".lower()
        self.a, self.b = f"lina_{suffix}".lower(), f"zhangwei_{suffix}".lower()
        self.manager, self.leader = f"liu_{suffix}".lower(), f"zhou_{suffix}".lower()
        self.admin(f'CREATE ROLE "{self.owner}" LOGIN CREATEROLE',
                   f'CREATE DATABASE "{self.dbname}" OWNER "{self.owner}"')
        self.addCleanup(self.drop_roles)
        self.addCleanup(self.admin, f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
        owner = self.env_of(self.owner)
        self.fb_ok("server", "init", "--timezone", "Asia/Shanghai", env=owner)
        for handle, name, role in [(self.manager, "刘建国", "manager"), (self.a, "李娜", "rep"),
                                   (self.b, "张伟", "rep"), (self.leader, "周红", "leader")]:
            self.fb_ok("server", "add-rep", handle, "--name", name, "--role", role, env=owner)
        # Each rep's day, through fieldbook as themself.
        for rep, company in [(self.a, "星河教育"), (self.b, "锦程贸易有限公司")]:
            self.fb_ok("visit", "add", company, "--contact", "王芳", "--role", "purchaser",
                       "--outcome", "interest", "--note", f"{company}要报价", "--at", "09:00",
                       "--next", "+7d", "--no-input", env=self.env_of(rep))
            self.fb_ok("order", "add", company, "--amount", "1000", "--cost", "600",
                       env=self.env_of(rep))
            self.fb_ok("meeting", "note", "--kind", "self-review", f"{company}的复盘",
                       env=self.env_of(rep))

    def drop_roles(self):
        for role in (self.a, self.b, self.manager, self.leader, self.owner):
            self.admin(f'DROP ROLE IF EXISTS "{role}"')

    # ---- connections ---------------------------------------------------------------------

    def role_url(self, role, database=None):
        return with_database(self.url, database or self.dbname).replace(
            "postgres@", f"{role}@", 1)

    def env_of(self, role):
        return {"FIELDBOOK_DB": self.role_url(role)}

    def admin(self, *statements):
        self.psql_as("postgres", *statements, database="postgres", check=True)

    def psql_as(self, role, *statements, database=None, check=False):
        """psql as `role`: (exit code, rows as '|'-joined lines, stderr)."""
        args = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", self.role_url(role, database)]
        for sql in statements:
            args += ["-c", sql]
        proc = subprocess.run(args, capture_output=True, text=True, env=self.make_env())
        if check and proc.returncode != 0:
            self.fail(f"psql as {role} failed: {proc.stderr}")
        return proc.returncode, proc.stdout.strip(), proc.stderr

    def one(self, role, sql):
        code, out, err = self.psql_as(role, sql)
        self.assertEqual(code, 0, err)
        return out

    def b_id(self, table, column="rep_id"):
        """The id of B's record in `table`, read by the owner."""
        rep = f"(SELECT id FROM rep WHERE handle = '{self.b}')"
        out = self.one(self.owner, f"SELECT id FROM {table} WHERE {column} = {rep} LIMIT 1")
        self.assertNotEqual(out, "", f"B has no {table}")
        return int(out)

    # ---- a rep against another rep's records ---------------------------------------------

    def test_a_rep_reads_none_of_another_reps_records_through_psql(self):
        b_customer = self.one(self.owner,
                              "SELECT id FROM customer WHERE name = '锦程贸易有限公司'")
        for table, where in [
            ("visit", f"id = {self.b_id('visit')}"),
            ("followup", f"id = {self.b_id('followup')}"),
            ("orders", f"id = {self.b_id('orders')}"),
            ("customer", f"id = {b_customer}"),
            ("contact", f"customer_id = {b_customer}"),
            ("payment", f"order_id = {self.b_id('orders')}"),
            ("order_line", f"order_id = {self.b_id('orders')}"),
            ("meeting_note", f"id = {self.b_id('meeting_note')}"),
            ("visit_search", f"visit_id = {self.b_id('visit')}"),
            ("command", f"actor = '{self.b}'"),
            ("op_log", f"command_id IN (SELECT id FROM command WHERE actor = '{self.b}')"),
        ]:
            with self.subTest(table=table):
                # The owner sees B's record (so the check below is not vacuous)...
                if table not in ("payment", "order_line"):
                    self.assertNotEqual(self.one(self.owner, f"SELECT COUNT(*) FROM {table} "
                                                             f"WHERE {where}"), "0")
                # ...and A sees none of it.
                self.assertEqual(self.one(self.a, f"SELECT COUNT(*) FROM {table} WHERE {where}"),
                                 "0")
        # A's own day is there for A.
        self.assertEqual(self.one(self.a, "SELECT COUNT(*) FROM visit"), "1")
        self.assertEqual(self.one(self.a, "SELECT name FROM customer"), "星河教育")

    def test_a_rep_changes_none_of_another_reps_records_through_psql(self):
        for table in ("visit", "followup", "orders", "meeting_note"):
            target = self.b_id(table)
            with self.subTest(table=table, attempt="update"):
                code, out, err = self.psql_as(
                    self.a, f"UPDATE {table} SET updated_at = 'x' WHERE id = {target} RETURNING id")
                self.assertEqual((code, out), (0, ""), err)
            with self.subTest(table=table, attempt="tombstone"):
                code, out, err = self.psql_as(
                    self.a, f"UPDATE {table} SET deleted_at = 'x' WHERE id = {target} RETURNING id")
                self.assertEqual((code, out), (0, ""), err)
            with self.subTest(table=table, attempt="delete"):
                code, _, err = self.psql_as(self.a, f"DELETE FROM {table} WHERE id = {target}")
                self.assertNotEqual(code, 0)
                self.assertIn("permission denied", err)
        # An upsert that would take over B's visit by its UUID: the insert is refused (it names
        # B as the rep), and the conflict path cannot reach B's row either.
        b_visit = self.b_id("visit")
        uuid = self.one(self.owner, f"SELECT uuid FROM visit WHERE id = {b_visit}")
        b_rep = self.one(self.owner, f"SELECT id FROM rep WHERE handle = '{self.b}'")
        a_rep = self.one(self.owner, f"SELECT id FROM rep WHERE handle = '{self.a}'")
        for rep_id in (b_rep, a_rep):
            with self.subTest(attempt="upsert", rep_id=rep_id):
                code, _, err = self.psql_as(self.a, f"""
INSERT INTO visit (id, uuid, rep_id, customer_id, kind, at_utc, day, outcome, created_at,
                   updated_at)
SELECT 999, '{uuid}', {rep_id}, customer_id, kind, at_utc, day, 'refused', 'x', 'x'
FROM (SELECT 1 AS customer_id, 'initial' AS kind, 'x' AS at_utc, 'x' AS day) v
ON CONFLICT (uuid) DO UPDATE SET outcome = 'refused'""")
                self.assertNotEqual(code, 0)
                self.assertIn(RLS_REFUSED, err)
        self.assertEqual(self.one(self.owner, f"SELECT outcome FROM visit WHERE id = {b_visit}"),
                         "interest")
        # A cannot write a visit, follow-up or order in B's name.
        code, _, err = self.psql_as(self.a, f"UPDATE visit SET rep_id = {b_rep} RETURNING id")
        self.assertNotEqual(code, 0)
        self.assertIn(RLS_REFUSED, err)

    def test_a_rep_logs_nothing_in_another_reps_name_and_reads_only_what_they_see(self):
        b_command = self.one(self.owner, f"SELECT id FROM command WHERE actor = '{self.b}' "
                                         "ORDER BY id LIMIT 1")
        # An operation slipped under B's command, or a conflict filed as B's push: refused.
        code, _, err = self.psql_as(self.a, f"""
INSERT INTO op_log (command_id, at_utc, record_table, record_uuid, kind, old_values,
                    new_values, op_uuid, device)
VALUES ({b_command}, 'x', 'visit', 'x', 'update', '{{}}', '{{}}', 'x', 'x')""")
        self.assertNotEqual(code, 0)
        self.assertIn(RLS_REFUSED, err)
        code, _, err = self.psql_as(self.a, f"""
INSERT INTO sync_conflict (at_utc, pushed_by, record_table, record_uuid, field, kept_value,
                           kept_op_uuid, kept_device, lost_value, lost_op_uuid, lost_device)
VALUES ('x', '{self.b}', 'visit', 'x', 'note', '1', 'x', 'x', '2', 'y', 'y')""")
        self.assertNotEqual(code, 0)
        self.assertIn(RLS_REFUSED, err)
        self.one(self.owner, f"""
INSERT INTO sync_conflict (at_utc, pushed_by, record_table, record_uuid, field, kept_value,
                           kept_op_uuid, kept_device, lost_value, lost_op_uuid, lost_device)
VALUES ('x', '{self.b}', 'visit', 'x', 'note', '1', 'x', 'x', '2', 'y', 'y')""")
        self.assertEqual(self.one(self.a, "SELECT COUNT(*) FROM sync_conflict"), "0")
        self.assertEqual(self.one(self.b, "SELECT COUNT(*) FROM sync_conflict"), "1")
        # What A reads of the log (what a sync pulls): A's own operations, and those on records
        # A sees (the team's rep records), never one on B's visit, customer or order.
        b_records = self.one(self.owner, f"""
SELECT COUNT(*) FROM op_log o JOIN command c ON c.id = o.command_id
WHERE c.actor = '{self.b}' AND o.record_table <> 'rep'""")
        self.assertNotEqual(b_records, "0")
        self.assertEqual(self.one(self.a, f"""
SELECT COUNT(*) FROM op_log o WHERE o.record_table IN ('visit', 'customer', 'orders')
AND o.record_uuid IN (SELECT uuid FROM visit) IS NOT TRUE
AND o.record_uuid IN (SELECT uuid FROM customer) IS NOT TRUE
AND o.record_uuid IN (SELECT uuid FROM orders) IS NOT TRUE"""), "0")
        self.assertEqual(self.one(self.a, "SELECT COUNT(*) FROM op_log WHERE record_table = 'rep'"),
                         self.one(self.owner,
                                  "SELECT COUNT(*) FROM op_log WHERE record_table = 'rep'"))

    def test_a_rep_reaches_none_of_another_reps_records_through_fieldbook(self):
        a = self.env_of(self.a)
        b_visit, b_order = self.b_id("visit"), self.b_id("orders")
        for argv in [("visit", "show", str(b_visit)),
                     ("visit", "edit", str(b_visit), "--note", "改了"),
                     ("visit", "delete", str(b_visit)),
                     ("order", "pay", str(b_order), "--amount", "10")]:
            with self.subTest(argv=" ".join(argv)):
                code, out, err = self.fb(*argv, env=a)
                self.assertEqual(code, 1, err)
                self.assertIn("no ", err)
                self.assertEqual(out, "")
        out, _ = self.fb_ok("visit", "list", "--format", "csv", env=a)
        self.assertNotIn("锦程", out)
        self.assertIn("星河教育", out)
        code, _, err = self.fb("customer", "show", "锦程", env=a)
        self.assertEqual(code, 1)
        out, _ = self.fb_ok("log", "--format", "csv", env=a)
        self.assertNotIn(self.b, out)
        # Nothing of B's changed.
        self.assertEqual(self.one(self.owner, f"SELECT note FROM visit WHERE id = {b_visit}"),
                         "锦程贸易有限公司要报价")

    def test_a_rep_cannot_make_themself_someone_else(self):
        # A temporary table named rep would pass for the team's in the policies' lookups.
        code, _, err = self.psql_as(self.a, "CREATE TEMP TABLE rep (id bigint, handle text, "
                                            "role text, deleted_at text)")
        self.assertNotEqual(code, 0)
        self.assertIn("permission denied", err)
        # Their own rep row: name, phone and email only, never the role or the handle.
        self.assertEqual(self.one(self.a, f"UPDATE rep SET phone = '1' WHERE handle = "
                                          f"'{self.a}' RETURNING phone"), "1")
        for column, value in (("role", "'manager'"), ("handle", "'boss'"), ("active", "0")):
            with self.subTest(column=column):
                code, _, err = self.psql_as(self.a, f"UPDATE rep SET {column} = {value} "
                                                    f"WHERE handle = '{self.a}'")
                self.assertNotEqual(code, 0)
                self.assertIn("permission denied", err)
        # A note that reads as the manager's.
        a_rep = self.one(self.owner, f"SELECT id FROM rep WHERE handle = '{self.a}'")
        code, _, err = self.psql_as(self.a, f"""
INSERT INTO meeting_note (id, uuid, day, rep_id, kind, text, author_id, created_at, updated_at)
VALUES (900, 'u-900', '2026-11-26', {a_rep}, 'manager', '表扬', {a_rep}, 'x', 'x')""")
        self.assertNotEqual(code, 0)
        self.assertIn(RLS_REFUSED, err)

    def test_a_visit_does_not_make_another_reps_customer_yours(self):
        b_customer = self.one(self.owner,
                              "SELECT id FROM customer WHERE name = '锦程贸易有限公司'")
        a_rep = self.one(self.owner, f"SELECT id FROM rep WHERE handle = '{self.a}'")
        b_rep = self.one(self.owner, f"SELECT id FROM rep WHERE handle = '{self.b}'")
        # A visit at a customer A cannot see, which would make it A's to see.
        code, _, err = self.psql_as(self.a, f"""
INSERT INTO visit (id, uuid, rep_id, customer_id, kind, at_utc, day, outcome, created_at,
                   updated_at)
VALUES (901, 'u-901', {a_rep}, {b_customer}, 'initial', 'x', '2026-11-26', 'contact', 'x', 'x')""")
        self.assertNotEqual(code, 0)
        self.assertIn(RLS_REFUSED, err)
        # A's own customer, given to B by the manager, stays visible to A (A visited it), but
        # A cannot take it back.
        a_customer = self.one(self.owner, "SELECT id FROM customer WHERE name = '星河教育'")
        self.fb_ok("customer", "edit", a_customer, "--owner", self.b,
                   env=self.env_of(self.manager))
        code, _, err = self.psql_as(self.a, f"UPDATE customer SET owner_id = {a_rep} "
                                            f"WHERE id = {a_customer}")
        self.assertNotEqual(code, 0)
        self.assertIn("only a manager gives another rep's customer away", err)
        self.assertEqual(self.one(self.owner, f"SELECT owner_id FROM customer WHERE id = "
                                              f"{a_customer}"), b_rep)

    def test_a_password_in_the_url_stays_out_of_the_log(self):
        url = self.role_url(self.a).replace(f"{self.a}@", f"{self.a}:s3cret@", 1)
        self.fb_ok("--db", url, "meeting", "note", "--kind", "idea", "带样品", env={})
        self.fb_ok(f"--db={url}", "meeting", "note", "--kind", "idea", "再带目录", env={})
        argv = self.one(self.owner, "SELECT string_agg(argv, ' ') FROM command")
        self.assertIn(f"{self.a}:***@", argv)
        self.assertNotIn("s3cret", argv)

    def test_as_another_rep_is_refused_on_a_server(self):
        code, out, err = self.fb("--as", self.b, "visit", "list", env=self.env_of(self.a))
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertIn(f"this server connection is {self.a}'s, not {self.b}'s", err)
        # A rep on a team server comes with a login: only `server add-rep` makes one.
        code, _, err = self.fb("rep", "add", f"new{self.a}", "--name", "新人",
                               env=self.env_of(self.manager))
        self.assertEqual(code, 2)
        self.assertIn("on a team server a rep needs a login as well", err)

    # ---- manager and leader --------------------------------------------------------------

    def test_a_manager_runs_the_whole_team_and_its_meeting(self):
        m = self.env_of(self.manager)
        out, _ = self.fb_ok("visit", "list", "--format", "csv", env=m)
        self.assertIn("星河教育", out)
        self.assertIn("锦程贸易有限公司", out)
        self.fb_ok("visit", "edit", str(self.b_id("visit")), "--headcount", "40", env=m)
        self.fb_ok("meeting", "plan", "--rep", self.a, "--visits", "8", "--goal", "16-20层", env=m)
        report, _ = self.fb_ok("meeting", "report", env=m)
        for expected in (self.a, self.b, "星河教育", "锦程贸易有限公司"):
            self.assertIn(expected, report)
        self.fb_ok("meeting", "close", env=m)
        self.assertEqual(self.one(self.a, "SELECT COUNT(*) FROM meeting WHERE closed_at IS NOT "
                                          "NULL"), "1")
        # The rep sees the plan made for them, and no one else's.
        self.assertEqual(self.one(self.a, "SELECT goal FROM plan"), "16-20层")
        self.assertEqual(self.one(self.b, "SELECT COUNT(*) FROM plan"), "0")

    def test_a_rep_leaves_merging_to_the_manager(self):
        # A rep's view of the server holds only their own records: a merge of theirs would
        # leave a teammate's on the deleted duplicate, so it is the manager's.
        self.fb_ok("visit", "add", "锦程商贸", "--new", "--outcome", "contact", "--no-input",
                   env=self.env_of(self.b))
        code, _, err = self.fb("customer", "merge", "锦程商贸", "锦程贸易有限公司",
                               env=self.env_of(self.b))
        self.assertEqual(code, 2, err)
        self.assertIn("only a manager merges customers", err)
        self.assertEqual(self.one(self.owner, "SELECT COUNT(*) FROM customer WHERE name = "
                                              "'锦程商贸' AND deleted_at IS NULL"), "1")
        self.fb_ok("customer", "merge", "锦程商贸", "锦程贸易有限公司",
                   env=self.env_of(self.manager))
        self.assertEqual(self.one(self.owner, "SELECT COUNT(*) FROM visit v JOIN customer c ON "
                                              "c.id = v.customer_id WHERE c.name = '锦程商贸'"),
                         "0")

    def test_a_leader_reads_everything_approves_and_writes_nothing_else(self):
        self.fb_ok("meeting", "close", env=self.env_of(self.manager))
        lead = self.env_of(self.leader)
        out, _ = self.fb_ok("visit", "list", "--format", "csv", env=lead)
        self.assertEqual(len(out.splitlines()), 3)
        self.fb_ok("meeting", "approve", "--comment", "已阅", env=lead)
        self.assertEqual(self.one(self.owner, "SELECT approval_comment FROM meeting"), "已阅")
        code, _, err = self.fb("visit", "edit", str(self.b_id("visit")), "--note", "领导改的",
                               env=lead)
        self.assertNotEqual(code, 0)
        code, _, err = self.psql_as(self.leader, "UPDATE visit SET note = 'x' RETURNING id")
        self.assertNotEqual(code, 0)
        self.assertIn("permission denied", err)

    # ---- how it is set up ----------------------------------------------------------------

    def test_no_one_connects_as_the_tables_owner_or_past_the_policies(self):
        logins = (self.a, self.b, self.manager, self.leader)
        listed = ", ".join(f"'{r}'" for r in logins)
        self.assertEqual(self.one(self.owner, f"SELECT COUNT(*) FROM pg_roles WHERE rolname IN "
                                              f"({listed}) AND (rolsuper OR rolbypassrls)"), "0")
        self.assertEqual(self.one(self.owner, f"SELECT COUNT(*) FROM pg_tables WHERE "
                                              f"schemaname = 'public' AND tableowner IN "
                                              f"({listed})"), "0")
        tables = self.one(self.owner, "SELECT COUNT(*) FROM pg_class c WHERE c.relkind = 'r' "
                                      "AND c.relnamespace = 'public'::regnamespace")
        self.assertEqual(self.one(self.owner, "SELECT COUNT(*) FROM pg_class c WHERE c.relkind "
                                              "= 'r' AND c.relnamespace = 'public'::regnamespace "
                                              "AND c.relrowsecurity AND c.relforcerowsecurity"),
                         tables)
        self.assertGreater(int(tables), 10)

    def test_server_init_again_keeps_the_data_and_the_policies(self):
        before = self.one(self.owner, "SELECT COUNT(*) FROM pg_policies")
        self.fb_ok("server", "init", env=self.env_of(self.owner))
        self.assertEqual(self.one(self.owner, "SELECT COUNT(*) FROM pg_policies"), before)
        self.assertEqual(self.one(self.owner, "SELECT COUNT(*) FROM visit"), "2")
        self.assertEqual(self.one(self.a, "SELECT COUNT(*) FROM visit"), "1")


if __name__ == "__main__":
    unittest.main()
