"""fieldbook demo: a realistic store on the fixed today, safe to re-run, never over real data."""

import datetime
import os
import re
import sqlite3
import stat
import unittest

from fbtest import FieldbookTestCase, TODAY

CJK = re.compile(r"[\u4e00-\u9fff]")


class DemoTest(FieldbookTestCase):

    def test_demo_builds_a_realistic_store(self):
        code, out, err = self.fb("demo")
        self.assertEqual(code, 0, err)
        self.assertIn(self.db, err)
        self.assertEqual(os.stat(self.db).st_mode & 0o777, 0o600)

        reps = self.json_rows("rep", "list")
        self.assertEqual(len(reps), 4)
        roles = sorted(r["role"] for r in reps)
        self.assertEqual(roles.count("manager"), 1)
        self.assertEqual(roles.count("leader"), 1)
        self.assertEqual(roles.count("rep"), 2)
        for r in reps:
            self.assertRegex(r["name"], CJK, "Chinese names")

        customers = self.customers()
        self.assertTrue(35 <= len(customers) <= 45, f"~40 customers, got {len(customers)}")
        chinese = [c for c in customers if CJK.search(c["name"])]
        self.assertGreaterEqual(len(chinese), 0.8 * len(customers), "mostly Chinese names")
        buildings = {c["building"] for c in customers if c["building"]}
        self.assertGreaterEqual(len(buildings), 3, "several buildings")
        self.assertTrue(all(c["floor"] and c["room"] for c in customers if c["building"]))
        industries = {c["industry"] for c in customers if c["industry"]}
        self.assertGreaterEqual(len(industries), 3, "customers across industries")

        visits = self.json_rows("visit", "list")
        days = {v["day"] for v in visits}
        today = datetime.date.fromisoformat(TODAY)
        for d in days:
            age = (today - datetime.date.fromisoformat(d)).days
            self.assertTrue(0 <= age <= 14, f"visit on {d} is outside the last two weeks")
        self.assertGreaterEqual(len(days), 8, "visits spread over two weeks")
        self.assertTrue(any(CJK.search(v["note"] or "") for v in visits), "Chinese notes")
        self.assertGreaterEqual(len({v["outcome"] for v in visits}), 4)
        self.assertGreaterEqual(len({v["rep"] for v in visits}), 2)

        out, err = self.fb_ok("visit", "list", "--on", "today")
        lines = [l for l in out.split("\n")[2:] if l.strip()]
        self.assertGreater(len(lines), 0, "today's visits are shown")
        for line in lines:
            self.assertIn(TODAY, line)
        today_rows = self.json_rows("visit", "list", "--on", "today")
        self.assertEqual(len(today_rows), len(lines))
        out, err = self.fb_ok("db", "check")

    def test_demo_in_the_default_store(self):
        code, out, err = self.fb("demo", unset=["FIELDBOOK_DB"], umask=0o022)
        self.assertEqual(code, 0, err)
        path = os.path.join(self.data_home, "fieldbook", "fieldbook.db")
        self.assertTrue(os.path.isfile(path))
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
        rows = self.json_rows("visit", "list", "--on", "today", unset=["FIELDBOOK_DB"])
        self.assertGreater(len(rows), 0)

    def test_demo_again_replaces_the_demo_store(self):
        self.fb_ok("demo")
        first = self.listing_snapshot()
        code, out, err = self.fb("demo")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.listing_snapshot(), first,
                         "same seed and day: the same store, not twice the data")
        self.assertEqual(len(self.json_rows("rep", "list")), 4)

    def test_demo_with_db_and_seed_is_deterministic(self):
        a = os.path.join(self.tmp, "a.db")
        b = os.path.join(self.tmp, "b.db")
        self.fb_ok("--db", a, "demo")
        self.fb_ok("demo", "--db", b)
        self.assertFalse(os.path.exists(self.db), "--db was given; FIELDBOOK_DB untouched")
        va = self.fb_ok("--db", a, "visit", "list", "--format", "csv")[0]
        vb = self.fb_ok("--db", b, "visit", "list", "--format", "csv")[0]
        self.assertEqual(va, vb)
        c = os.path.join(self.tmp, "c.db")
        self.fb_ok("--db", c, "demo", "--seed", "7")
        vc = self.fb_ok("--db", c, "visit", "list", "--format", "csv")[0]
        self.assertNotEqual(va, vc, "another seed gives another store")

    def test_demo_refuses_a_store_with_real_data(self):
        self.init_store()
        self.add_rep("lina", "李娜")
        self.add_visit("蓝海科技", "--note", "真实数据")
        before_lists = self.listing_snapshot()
        before_db = self.db_snapshot()
        code, out, err = self.fb("demo")
        self.assertEqual(code, 1, err)
        self.assertIn("fieldbook: error:", err)
        self.assertIn(self.db, err)
        self.assertIn("--db", err, "the hint says how to build the demo elsewhere")
        self.assertEqual(self.listing_snapshot(), before_lists)
        self.assertEqual(self.db_snapshot(), before_db)

    def test_demo_refuses_even_a_store_with_only_its_first_rep(self):
        self.init_store()
        before = self.db_snapshot()
        code, out, err = self.fb("demo")
        self.assertEqual(code, 1, err)
        self.assertEqual(self.db_snapshot(), before)

    # ---- the demo replaces only a store whose every record is its own ---------------------

    def assertDemoRefused(self, *needles):
        """`demo` on the store: exit 1, the store exactly as it was, the message naming it."""
        before_db = self.db_snapshot()
        code, out, err = self.fb("demo")
        self.assertEqual(code, 1, err)
        self.assertIn("fieldbook: error:", err)
        self.assertIn(self.db, err)
        self.assertIn("not the demo's", err)
        self.assertIn("--db", err, "the hint says how to build the demo elsewhere")
        for needle in needles:
            self.assertIn(needle, err)
        self.assertEqual(self.db_snapshot(), before_db, "a refused demo writes nothing")
        return err

    def test_demo_after_init_and_real_work_refuses(self):
        # The demo store becomes someone's: init, a teammate, real visits.
        self.fb_ok("demo")
        self.fb_ok("init", "--me", "xiaoli", "--name", "肖莉", "--as", "liujianguo")
        self.fb_ok("--as", "liujianguo", "rep", "add", "xiaowang", "--name", "王小")
        for i in range(3):
            self.fb_ok("visit", "add", f"真实客户{i}", "--outcome", "contact", "--note", "真实拜访")
        self.assertDemoRefused("fieldbook init", "2 reps", "3 customers", "3 visits added since")
        self.assertEqual(len(self.sql("SELECT id FROM visit WHERE note = '真实拜访'")), 3)

    def test_demo_after_init_alone_refuses(self):
        # `init` takes the store over, even with nothing added yet.
        self.fb_ok("demo")
        self.fb_ok("init", "--me", "wanglei", "--name", "王磊")
        self.assertDemoRefused("`fieldbook init` took the store over")

    def test_demo_refuses_a_demo_store_with_one_visit_added(self):
        self.fb_ok("demo")
        self.fb_ok("--as", "wanglei", "visit", "add", "新开的公司", "--outcome", "contact")
        self.assertDemoRefused("1 visit added since", "1 customer")

    def test_demo_refuses_a_demo_store_with_a_visit_edited(self):
        self.fb_ok("demo")
        vid, rep = self.sql("SELECT v.id, r.handle FROM visit v JOIN rep r ON r.id = v.rep_id "
                            "ORDER BY v.id LIMIT 1")[0]
        # The same instant as the demo was made (the clock is fixed): only the content tells.
        self.fb_ok("--as", rep, "visit", "edit", str(vid), "--note", "改成真实情况")
        self.assertDemoRefused("visits changed since the demo made them")

    def test_demo_refuses_a_demo_store_with_a_visit_deleted(self):
        self.fb_ok("demo")
        vid, rep = self.sql("SELECT v.id, r.handle FROM visit v JOIN rep r ON r.id = v.rep_id "
                            "ORDER BY v.id DESC LIMIT 1")[0]
        self.fb_ok("--as", rep, "visit", "delete", str(vid))
        self.assertDemoRefused("visits changed")

    def test_demo_refuses_a_demo_store_with_a_payment_recorded(self):
        self.fb_ok("demo")
        oid, rep = self.sql(
            "SELECT o.id, r.handle FROM orders o JOIN rep r ON r.id = o.rep_id "
            "WHERE o.amount_cents > (SELECT COALESCE(SUM(amount_cents), 0) FROM payment p "
            "WHERE p.order_id = o.id) ORDER BY o.id LIMIT 1")[0]
        self.fb_ok("--as", rep, "order", "pay", str(oid), "--amount", "1")
        self.assertDemoRefused("1 payment added since")

    def test_demo_refuses_a_store_marked_demo_by_an_older_fieldbook(self):
        # An earlier demo marked its store with demo=1 only: nothing tells its records from
        # real ones, so the store is left alone.
        self.fb_ok("demo")
        self.sql_exec("UPDATE meta SET value = '1' WHERE key = 'demo'")
        self.assertDemoRefused("4 reps")

    def sql_exec(self, statement):
        con = sqlite3.connect(self.db)
        try:
            con.execute(statement)
            con.commit()
        finally:
            con.close()

    def test_demo_with_synthetic_visits(self):
        self.fb_ok("demo")
        base = len(self.json_rows("visit", "list"))
        code, out, err = self.fb("demo", "--visits", "500")
        self.assertEqual(code, 0, err)
        visits = self.json_rows("visit", "list")
        self.assertGreaterEqual(len(visits), base + 500)
        today = datetime.date.fromisoformat(TODAY)
        oldest = min(datetime.date.fromisoformat(v["day"]) for v in visits)
        self.assertGreater((today - oldest).days, 14, "synthetic visits go back further")
        self.assertTrue(all((today - datetime.date.fromisoformat(v["day"])).days <= 366
                            for v in visits), "over the past year")
        out, err = self.fb_ok("db", "check")

    def test_demo_bad_visits_value_is_a_usage_error(self):
        code, out, err = self.fb("demo", "--visits", "-5")
        self.assertEqual(code, 2, err)
        self.assertIn("--visits", err)
        self.assertFalse(os.path.exists(self.db))
        code, out, err = self.fb("demo", "--visits", "many")
        self.assertEqual(code, 2, err)
        self.assertFalse(os.path.exists(self.db))


if __name__ == "__main__":
    unittest.main()
