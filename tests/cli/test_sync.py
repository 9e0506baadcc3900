"""Offline laptops that sync with the team server: every change goes up once however often a
sync is cut off and repeated, edits of one field end alike on every store, a deletion beats an
edit, a change the server refuses is quarantined and reported, and the manager's meeting on the
server sees every laptop's day.

Runs on databases of the test cluster (see test_server.py for how it is found)."""

import os
import random
import signal
import sqlite3
import subprocess
import time
import unittest

from fbtest import BIN, FieldbookTestCase
from test_server import cluster_url, run_psql, with_database

DAY = "2026-12-03"


class SyncTestCase(FieldbookTestCase):
    """A team server (owner, manager boss, reps lina and wei) and laptop stores in the test's
    temporary directory."""

    def setUp(self):
        super().setUp()
        self.url = cluster_url()
        suffix = f"{os.getpid()}_{self._testMethodName[-20:]}".lower()
        self.name = f"fb_sync_{suffix}"
        self.owner = f"owner_{suffix}"
        self.roles = {handle: f"{handle}_{suffix}" for handle in ("boss", "lina", "wei")}
        self.psql(self.url, f"CREATE ROLE {self.owner} LOGIN CREATEROLE",
                  f"CREATE DATABASE {self.name} OWNER {self.owner}")
        self.addCleanup(self.drop_roles)
        self.addCleanup(self.psql, self.url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        # The team is set up early in the morning, before the laptops' clocks in these tests.
        owner = {"FIELDBOOK_DB": self.server_url(self.owner),
                 "FIELDBOOK_NOW": f"{DAY}T07:00:00+08:00"}
        self.fb_ok("server", "init", "--timezone", "Asia/Shanghai", env=owner)
        for handle, name, role in (("boss", "王经理", "manager"), ("lina", "李娜", "rep"),
                                   ("wei", "张伟", "rep")):
            self.fb_ok("server", "add-rep", self.roles[handle], "--name", name, "--role", role,
                       env=owner)

    def drop_roles(self):
        for role in list(self.roles.values()) + [self.owner]:
            self.psql(self.url, f"DROP ROLE IF EXISTS {role}")

    def psql(self, url, *statements):
        return run_psql(url, *statements, env=self.make_env())

    def server_url(self, role):
        return with_database(self.url, self.name).replace("postgres@", f"{role}@", 1)

    def on_server(self, sql):
        """A query on the server as its owner, who sees every row."""
        return self.psql(self.server_url(self.owner), sql).strip()

    def laptop(self, name, handle, role="rep", now=f"{DAY}T09:00:00+08:00"):
        """A laptop store made offline with `init --me`, and the env that uses it."""
        path = os.path.join(self.tmp, f"{name}.db")
        env = {"FIELDBOOK_DB": path, "FIELDBOOK_NOW": now}
        self.fb_ok("init", "--me", self.roles[handle], "--name", handle, "--role", role,
                   "--timezone", "Asia/Shanghai", env=env)
        return env

    def sync(self, env, first=False, **kw):
        args = ["sync"]
        if first:
            role = self.sql("SELECT value FROM meta WHERE key = 'owner'", path=env["FIELDBOOK_DB"])
            args += ["--to", self.server_url(role[0][0])]
        return self.fb_ok(*args, env=env, **kw)

    def status(self, env):
        return {row["what"]: row["value"] for row in self.csv_rows("sync", "--status", env=env)}

    def at(self, env, clock):
        return dict(env, FIELDBOOK_NOW=f"{DAY}T{clock}+08:00")

    def local(self, env, query, params=()):
        return self.sql(query, params, path=env["FIELDBOOK_DB"])


class SyncTest(SyncTestCase):
    def test_a_laptop_made_offline_joins_and_a_second_sync_is_a_no_op(self):
        lina = self.laptop("lina", "lina")
        self.fb_ok("visit", "add", "星辰科技", "--new", "--outcome", "contact", "--note",
                   "前台收下目录", "--next", "2026-12-08", env=lina)
        self.fb_ok("visit", "add", "云帆物流", "--new", "--outcome", "interest", env=lina)
        status = self.status(lina)
        self.assertEqual(status["waiting_commands"], "3")  # init and two visits
        self.assertNotEqual(status["waiting_operations"], "0")

        _, err = self.sync(lina, first=True)
        self.assertIn("pushed", err)
        self.assertEqual(self.on_server(
            "SELECT string_agg(c.name || ':' || r.handle, ',' ORDER BY c.name) FROM visit v "
            "JOIN customer c ON c.id = v.customer_id JOIN rep r ON r.id = v.rep_id"),
            f"云帆物流:{self.roles['lina']},星辰科技:{self.roles['lina']}")
        # The laptop's rep joined the server's by handle: one lina there.
        self.assertEqual(self.on_server(
            f"SELECT COUNT(*) FROM rep WHERE handle = '{self.roles['lina']}'"), "1")
        # The follow-up went up with its visit, and lina reads it on the server.
        out, _ = self.fb_ok("followup", "list", "--format", "csv",
                            env={"FIELDBOOK_DB": self.server_url(self.roles["lina"])})
        self.assertIn("星辰科技", out)
        status = self.status(lina)
        self.assertEqual(status["waiting_operations"], "0")
        self.assertEqual(status["last_sync"], "2026-12-03T01:00:00Z")
        self.assertNotIn("password", status["server"])

        server_ops = self.on_server("SELECT COUNT(*) FROM op_log")
        laptop_ops = self.local(lina, "SELECT COUNT(*) FROM op_log")
        _, err = self.sync(lina)  # remembered server
        self.assertIn("pushed 0 operations, pulled 0", err)
        self.assertEqual(self.on_server("SELECT COUNT(*) FROM op_log"), server_ops)
        self.assertEqual(self.local(lina, "SELECT COUNT(*) FROM op_log"), laptop_ops)

    def test_a_replayed_push_applies_nothing_twice(self):
        lina = self.laptop("lina", "lina")
        for door in range(3):
            self.fb_ok("visit", "add", f"客户{door}", "--new", "--outcome", "contact", env=lina)
        self.sync(lina, first=True)
        visits = self.on_server("SELECT COUNT(*), COUNT(DISTINCT uuid) FROM visit")
        # As if the laptop had lost its record of the push (a crash before it was saved).
        con = sqlite3.connect(lina["FIELDBOOK_DB"])
        con.execute("UPDATE meta SET value = '0' WHERE key = 'sync.pushed_through'")
        con.commit()
        con.close()
        _, err = self.sync(lina)
        self.assertIn("were on the server already", err)
        self.assertIn("pushed 0 operations", err)
        self.assertEqual(self.on_server("SELECT COUNT(*), COUNT(DISTINCT uuid) FROM visit"),
                         visits)
        self.assertEqual(visits, "3|3")

    def test_a_push_killed_at_random_points_then_repeated_leaves_one_copy(self):
        lina = self.laptop("lina", "lina")
        rows = ["客户,日期,结果,备注"] + [f"门{i:03}号公司,{DAY},contact,第{i}家"
                                         for i in range(300)]
        csv_path = os.path.join(self.tmp, "day.csv")
        with open(csv_path, "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
        self.fb_ok("import", "visits", csv_path, env=lina)
        own_ops = int(self.local(lina, "SELECT COUNT(*) FROM op_log")[0][0])
        first = ["sync", "--to", self.server_url(self.roles["lina"])]
        env = self.make_env(lina)
        rng = random.Random(20261203)
        killed = 0
        for attempt in range(5):
            landed = self.on_server("SELECT COUNT(*) FROM op_log")
            proc = subprocess.Popen([BIN] + first, env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            # Once this push has landed something, cut it off a random moment later: within a
            # batch, between two, or while it writes down what it sent.
            while proc.poll() is None and self.on_server("SELECT COUNT(*) FROM op_log") == landed:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.05))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            proc.wait()
        self.assertGreater(killed, 0, "no push was cut off: the test proved nothing")
        self.fb_ok(*first, env=lina)
        self.assertEqual(self.on_server("SELECT COUNT(*), COUNT(DISTINCT uuid) FROM visit"),
                         "300|300")
        self.assertEqual(self.on_server("SELECT COUNT(*) FROM customer"), "300")
        device = self.local(lina, "SELECT value FROM meta WHERE key = 'device_id'")[0][0]
        # Every operation of the laptop applied once (the received ones are unique by UUID).
        self.assertEqual(self.on_server(
            f"SELECT COUNT(*), COUNT(DISTINCT op_uuid) FROM op_log WHERE device = '{device}'"),
            f"{own_ops}|{own_ops}")

    def test_conflicting_edits_end_alike_in_both_orders(self):
        # Each run on the same server, later than the one before (the laptops' clocks follow
        # what they pulled: sync(1)'s hybrid logical clock).
        for first, second, lina_at, boss_at in (("lina", "boss", "10:00:00", "11:00:00"),
                                                ("boss", "lina", "12:00:00", "13:00:00")):
            with self.subTest(first=first):
                name = f"{first}先同步"
                lina = self.laptop(f"lina_{first}", "lina")
                self.fb_ok("visit", "add", name, "--new", "--outcome", "interest", env=lina)
                self.sync(lina, first=True)
                boss = self.laptop(f"boss_{first}", "boss", role="manager")
                self.sync(boss, first=True)
                lina_id = self.local(lina, "SELECT id FROM customer WHERE name = ?", (name,))[0][0]
                boss_id = self.local(boss, "SELECT id FROM customer WHERE name = ?", (name,))[0][0]
                # Offline, both change the notes; the manager's edit is the later one.
                self.fb_ok("customer", "edit", str(lina_id), "--notes", "李娜: 下周送样品",
                           env=self.at(lina, lina_at))
                self.fb_ok("customer", "edit", str(boss_id), "--notes", "经理: 先报价",
                           env=self.at(boss, boss_at))
                laptops = {"lina": lina, "boss": boss}
                self.sync(laptops[first])
                self.sync(laptops[second])
                self.sync(laptops[first])
                for env in (lina, boss):
                    self.assertEqual(
                        self.local(env, "SELECT notes FROM customer WHERE name = ?", (name,)),
                        [("经理: 先报价",)])
                self.assertEqual(self.on_server(
                    f"SELECT notes FROM customer WHERE name = '{name}'"), "经理: 先报价")
                # The push that met the other edit found the conflict; its laptop lists it.
                finder = laptops[second]
                rows = self.csv_rows("sync", "--conflicts", env=finder)
                self.assertEqual(len(rows), 1, rows)
                conflict = rows[0]
                self.assertEqual(conflict["field"], "notes")
                self.assertEqual(conflict["kept"], '"经理: 先报价"')
                self.assertEqual(conflict["lost"], '"李娜: 下周送样品"')

    def test_an_edit_made_after_pulling_another_wins_though_the_laptop_clock_is_behind(self):
        lina = self.laptop("lina", "lina")
        self.fb_ok("visit", "add", "慢钟公司", "--new", "--outcome", "contact", env=lina)
        self.sync(lina, first=True)
        boss = {"FIELDBOOK_DB": self.server_url(self.roles["boss"]),
                "FIELDBOOK_NOW": f"{DAY}T11:00:00+08:00"}
        self.fb_ok("customer", "edit", "慢钟公司", "--notes", "经理: 先报价", env=boss)
        # Lina's laptop clock is two hours behind the manager's; she reads his note, then
        # answers it. Her edit comes after his, so it stands.
        slow = self.at(lina, "09:05:00")
        self.sync(slow)
        self.assertEqual(self.local(lina, "SELECT notes FROM customer"), [("经理: 先报价",)])
        self.fb_ok("customer", "edit", "慢钟公司", "--notes", "李娜: 报价已发", env=slow)
        self.sync(slow)
        self.assertEqual(self.on_server("SELECT notes FROM customer"), "李娜: 报价已发")
        self.assertEqual(self.csv_rows("sync", "--conflicts", env=lina), [])

    def test_a_deletion_beats_an_edit_in_both_orders(self):
        for order in ("delete_first", "edit_first"):
            with self.subTest(order=order):
                one = self.laptop(f"one_{order}", "lina")
                self.fb_ok("visit", "add", f"删除{order}", "--new", "--outcome", "contact",
                           env=one)
                self.sync(one, first=True)
                two = self.laptop(f"two_{order}", "lina")  # lina's second laptop
                self.sync(two, first=True)
                uuid = self.local(one, "SELECT v.uuid FROM visit v JOIN customer c ON "
                                  "c.id = v.customer_id WHERE c.name = ?", (f"删除{order}",))[0][0]
                one_id = self.local(one, "SELECT id FROM visit WHERE uuid = ?", (uuid,))[0][0]
                two_id = self.local(two, "SELECT id FROM visit WHERE uuid = ?", (uuid,))[0][0]
                self.fb_ok("visit", "delete", str(one_id), env=self.at(one, "10:00:00"))
                # The edit is later than the deletion, and still does not bring it back.
                self.fb_ok("visit", "edit", str(two_id), "--note", "补充: 前台换人了",
                           env=self.at(two, "11:00:00"))
                first, second = (one, two) if order == "delete_first" else (two, one)
                self.sync(first)
                self.sync(second)
                self.sync(first)
                for env in (one, two):
                    deleted, note = self.local(
                        env, "SELECT deleted_at IS NOT NULL, note FROM visit WHERE uuid = ?",
                        (uuid,))[0]
                    self.assertEqual(deleted, 1, order)
                    self.assertEqual(note, "补充: 前台换人了")
                self.assertEqual(self.on_server(
                    f"SELECT deleted_at IS NOT NULL FROM visit WHERE uuid = '{uuid}'"), "t")

    def test_a_refused_change_is_quarantined_and_reported(self):
        # A laptop whose own record says more than the server: lina is a manager on it, so
        # fieldbook there lets her give a customer to wei; the server knows her as a rep.
        lina = self.laptop("lina", "lina", role="manager")
        self.fb_ok("rep", "add", self.roles["wei"], "--name", "张伟", env=lina)
        self.fb_ok("visit", "add", "自己的客户", "--new", "--outcome", "contact", env=lina)
        self.fb_ok("customer", "add", "送给张伟的客户", "--owner", self.roles["wei"], env=lina)
        # Made as wei on lina's laptop: never sent as someone else's.
        self.fb_ok("visit", "add", "冒名的客户", "--new", "--outcome", "contact", "--as",
                   self.roles["wei"], env=lina)
        code, _, err = self.fb("sync", "--to", self.server_url(self.roles["lina"]), env=lina)
        self.assertEqual(code, 1, err)
        self.assertIn("operations were refused and quarantined", err)
        self.assertIn("row-level security", err)
        self.assertIn(f"made as {self.roles['wei']}", err)
        rows = self.csv_rows("sync", "--quarantine", env=lina)
        reasons = [row["reason"] for row in rows]
        self.assertTrue(any("row-level security" in r for r in reasons), reasons)
        self.assertTrue(any("made as" in r for r in reasons), reasons)
        # What was allowed went up; what was refused did not, and is not sent again.
        self.assertEqual(self.on_server("SELECT string_agg(name, ',' ORDER BY name) FROM customer"),
                         "自己的客户")
        _, err = self.sync(lina)
        self.assertIn("pushed 0 operations", err)
        status = self.status(lina)
        self.assertEqual(status["quarantined"], str(len(rows)))
        # The pull made the laptop's record of lina the server's: a rep.
        self.assertEqual(self.local(lina, "SELECT role FROM rep WHERE handle = ?",
                                    (self.roles["lina"],)), [("rep",)])

    def test_a_customer_given_to_the_rep_arrives_with_its_history_and_contacts(self):
        wei = {"FIELDBOOK_DB": self.server_url(self.roles["wei"]),
               "FIELDBOOK_NOW": f"{DAY}T10:00:00+08:00"}
        self.fb_ok("visit", "add", "远东集团", "--new", "--contact", "赵总", "--role",
                   "purchaser", "--outcome", "interest", "--building", "天府软件园B座", env=wei)
        lina = self.laptop("lina", "lina")
        self.sync(lina, first=True)  # pulls past wei's day, none of which lina may see
        self.assertEqual(self.local(lina, "SELECT COUNT(*) FROM customer"), [(0,)])
        boss = {"FIELDBOOK_DB": self.server_url(self.roles["boss"]),
                "FIELDBOOK_NOW": f"{DAY}T18:00:00+08:00"}
        self.fb_ok("customer", "edit", "远东集团", "--owner", self.roles["lina"], env=boss)
        _, err = self.sync(lina)
        self.assertNotIn("refused", err)
        self.assertEqual(self.local(lina, """
SELECT c.name, r.handle, b.name, k.name FROM customer c JOIN rep r ON r.id = c.owner_id
JOIN building b ON b.id = c.building_id JOIN contact k ON k.customer_id = c.id"""),
                         [("远东集团", self.roles["lina"], "天府软件园B座", "赵总")])
        self.assertEqual(self.status(lina)["quarantined"], "0")
        # Wei's visit stays his: lina's laptop never gets it.
        self.assertEqual(self.local(lina, "SELECT COUNT(*) FROM visit"), [(0,)])

    def test_a_building_named_on_two_laptops_apart_is_one_building(self):
        lina = self.laptop("lina", "lina")
        wei = self.laptop("wei", "wei")
        for env, company in ((lina, "云帆物流"), (wei, "锦程贸易")):
            self.fb_ok("visit", "add", company, "--new", "--building", "天府软件园B座",
                       "--floor", "18", "--outcome", "contact", env=env)
        self.sync(lina, first=True)
        self.sync(wei, first=True)
        self.assertEqual(self.on_server(
            "SELECT string_agg(c.name || '@' || b.name, ',' ORDER BY c.name) FROM customer c "
            "JOIN building b ON b.id = c.building_id"), "云帆物流@天府软件园B座,锦程贸易@天府软件园B座")
        self.assertEqual(self.on_server("SELECT COUNT(*) FROM building"), "1")
        self.sync(lina)
        for env in (lina, wei):
            self.assertEqual(self.local(env, "SELECT name FROM building"), [("天府软件园B座",)])
        # Wei's laptop still knows the building by the UUID it gave it; what it records there
        # later lands on the one building all the same.
        self.sync(wei)
        self.fb_ok("visit", "add", "星辰科技", "--new", "--building", "天府软件园B座",
                   "--outcome", "contact", env=self.at(wei, "15:00:00"))
        self.sync(wei)
        self.assertEqual(self.status(wei)["quarantined"], "0")
        self.assertEqual(self.on_server(
            "SELECT COUNT(*), COUNT(DISTINCT c.building_id) FROM customer c"), "3|1")
        self.assertEqual(self.on_server("SELECT COUNT(*) FROM sync_alias"), "1")

    def test_three_laptops_meet_on_the_server(self):
        laptops = {}
        for handle, doors in (("lina", ("甲公司", "乙公司")), ("wei", ("丙公司", "丁公司"))):
            env = self.laptop(handle, handle)
            for door in doors:
                self.fb_ok("visit", "add", door, "--new", "--outcome", "contact", env=env)
            laptops[handle] = env
        boss = self.laptop("boss", "boss", role="manager")
        self.fb_ok("visit", "add", "戊公司", "--new", "--outcome", "interest", env=boss)
        laptops["boss"] = boss
        for env in laptops.values():
            self.sync(env, first=True)
        server = {"FIELDBOOK_DB": self.server_url(self.roles["boss"]),
                  "FIELDBOOK_NOW": f"{DAY}T18:00:00+08:00"}
        out, _ = self.fb_ok("meeting", "report", "--date", DAY, env=server)
        for door in ("甲公司", "乙公司", "丙公司", "丁公司", "戊公司"):
            self.assertIn(door, out)
        self.fb_ok("meeting", "close", "--date", DAY, env=server)
        self.assertEqual(self.on_server(f"SELECT closed_by IS NOT NULL FROM meeting "
                                        f"WHERE day = '{DAY}'"), "t")
        # A rep sees only their own on their laptop, the manager the team's.
        self.assertEqual(self.local(laptops["lina"], "SELECT COUNT(*) FROM visit"), [(2,)])
        self.sync(laptops["boss"])
        self.assertEqual(self.local(laptops["boss"], "SELECT COUNT(*) FROM visit"), [(5,)])
        # Each laptop brings the closed day down; a second pull brings nothing.
        for env in laptops.values():
            self.sync(env)
            _, err = self.sync(env)
            self.assertIn("pushed 0 operations, pulled 0", err)


if __name__ == "__main__":
    unittest.main()
