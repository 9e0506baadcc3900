"""The operation log and undo, end to end on the real binary.

Every kind of write command is run, then undone: the store's live records (every record table,
every column but updated_at, and the search index derived from them) are then exactly as before
the command, read with Python's sqlite3. Undoing the undo gives back the command's state. Undo
is refused, naming the command and the record, when another rep changed the record later and
when the record's day has a closed meeting; a 1,000-row import is undone whole. `log` prints
what each command changed (field: old → new) in every format, and `visit show --history` a
record's changes.

The team: zhangwei (a rep, the store's owner), lina (a rep), liu (the manager), zhou (the
leader). The clock is fixed (FIELDBOOK_NOW, Thursday 2026-11-26 in Asia/Shanghai).
"""

import csv
import io
import json
import os
import sqlite3
import unittest

from fbtest import FieldbookTestCase, TODAY


class UndoCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")
        self.add_rep("liu", "刘建国", role="manager")
        self.fb_ok("--as", "liu", "rep", "add", "zhou", "--name", "周红", "--role", "leader")
        self.fb_ok("visit", "add", "锦程贸易有限公司", "--building", "天府软件园B座", "--floor", "15",
                   "--room", "1502", "--contact", "刘洋", "--role", "purchaser",
                   "--outcome", "interest", "--note", "要硒鼓报价", "--next", "+3d")
        self.fb_ok("order", "add", "锦程贸易", "--amount", "1,280.50", "--due", "+10d")

    def live(self):
        """Every live record and the search index, as text rows."""
        con = sqlite3.connect(self.db)
        try:
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                "'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite%' ORDER BY name")]
            rows = []
            for table in tables:
                columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
                if "uuid" not in columns or "deleted_at" not in columns:
                    continue
                keep = [c for c in columns if c != "updated_at"]
                for row in con.execute(
                        f"SELECT {', '.join(keep)} FROM {table} WHERE deleted_at IS NULL "
                        "ORDER BY id"):
                    rows.append((table,) + tuple(row))
            rows += [("visit_search",) + tuple(r) for r in
                     con.execute("SELECT rowid, body FROM visit_search ORDER BY rowid")]
            return rows
        finally:
            con.close()

    def id_of(self, what, *args):
        rows = self.json_rows(*args)
        self.assertTrue(rows, f"no {what}")
        return str(max(int(r["id"]) for r in rows))


class UndoEveryCommandTest(UndoCase):

    def check_undo(self, who, *command):
        before = self.live()
        self.fb_ok("--as", who, *command)
        after = self.live()
        self.assertNotEqual(before, after, f"{command} changed nothing")
        out, err = self.fb_ok("--as", who, "undo")
        self.assertIn("undid command #", err)
        self.assertEqual(self.live(), before, f"undo of {command} left the store changed")
        self.fb_ok("--as", who, "undo")  # undoing the undo redoes the command
        self.assertEqual(self.live(), after, f"redo of {command} differs")

    def test_visit_add_edit_delete(self):
        self.check_undo("zhangwei", "visit", "add", "星河教育", "--building", "天府软件园B座",
                        "--floor", "16", "--contact", "陈静", "--role", "inside",
                        "--outcome", "contact", "--next", "+7d")
        visit = self.id_of("visit", "visit", "list")
        self.check_undo("zhangwei", "visit", "edit", visit, "--headcount", "65",
                        "--outcome", "intent", "--note", "改了")
        self.check_undo("zhangwei", "visit", "delete", visit)

    def test_customer_and_contact(self):
        self.check_undo("zhangwei", "customer", "add", "蓝海数据科技有限公司",
                        "--building", "天府软件园B座", "--floor", "12", "--room", "1203")
        self.check_undo("zhangwei", "customer", "edit", "锦程", "--industry", "贸易",
                        "--headcount", "60")
        self.check_undo("zhangwei", "contact", "add", "锦程", "王芳", "--role", "gatekeeper",
                        "--phone", "13800001234")

    def test_followups(self):
        self.check_undo("zhangwei", "followup", "add", "锦程", "--due", "+2d", "--note", "报价")
        followup = self.id_of("follow-up", "followup", "list")
        self.check_undo("zhangwei", "followup", "done", followup, "--outcome", "intent",
                        "--result", "老板同意", "--next", "+5d")

    def test_orders_and_payments(self):
        self.check_undo("zhangwei", "order", "add", "锦程", "--amount", "800", "--prepaid", "300",
                        "--due", "+15d")
        order = self.id_of("order", "order", "list")
        self.check_undo("zhangwei", "order", "pay", order, "--amount", "200")
        self.check_undo("zhangwei", "order", "pay", order, "--amount", "300")  # closes it

    def test_meeting_and_team(self):
        self.check_undo("liu", "meeting", "plan", "--rep", "zhangwei", "--visits", "12")
        self.check_undo("zhangwei", "meeting", "note", "--kind", "self-review", "开场白太长")
        self.check_undo("liu", "rep", "task", "add", "lina", "熟悉硒鼓型号")
        self.fb_ok("--as", "liu", "rep", "task", "add", "lina", "背熟报价单")
        task = self.id_of("task", "--as", "liu", "rep", "task", "list")
        self.check_undo("lina", "rep", "task", "done", task)
        self.check_undo("liu", "rep", "note", "lina", "主动帮新人", "--kind", "commend")
        self.check_undo("liu", "rep", "add", "wangfang", "--name", "王芳")
        self.check_undo("liu", "rep", "edit", "lina", "--phone", "13900000000", "--role",
                        "manager")

    def test_a_thousand_row_import_is_undone_whole(self):
        path = os.path.join(self.tmp, "visits.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["客户", "日期", "时间", "结果", "备注"])
            for i in range(1000):
                w.writerow([f"公司{i:04d}", "2026-11-20", f"{9 + i % 8}:{i % 60:02d}", "有兴趣",
                            f"第{i}行"])
        before = self.live()
        self.fb_ok("import", "visits", path)
        after = self.live()
        self.assertGreater(len(after), len(before) + 2000)  # customers, visits, their index
        out, err = self.fb_ok("undo", "--dry-run")
        self.assertIn("would undo command #", err)
        self.assertEqual(self.live(), after)  # a dry run writes nothing
        self.fb_ok("undo")
        self.assertEqual(self.live(), before)


class UndoRefusalTest(UndoCase):

    def test_a_later_change_by_someone_else_is_named(self):
        self.fb_ok("--as", "lina", "visit", "add", "星河教育", "--outcome", "contact")
        self.fb_ok("visit", "add", "星河教育", "--outcome", "interest")  # zhangwei, status moves
        before = self.live()
        code, out, err = self.fb("--as", "lina", "undo")
        self.assertEqual(code, 2, err)
        self.assertRegex(err, r"undo: command #\d+ \(--as lina visit add 星河教育 …\) changed customer "
                              r"#\d+, which zhangwei changed later in command #\d+ "
                              r"\(visit add 星河教育 --outcome interest\)")
        self.assertEqual(self.live(), before)

    def test_a_closed_day_stays_as_it_was(self):
        self.fb_ok("visit", "add", "星河教育", "--outcome", "contact")
        self.fb_ok("--as", "liu", "meeting", "close")
        before = self.live()
        code, out, err = self.fb("undo")
        self.assertEqual(code, 2, err)
        self.assertIn(f"of {TODAY}, whose meeting is closed", err)
        self.assertEqual(self.live(), before)
        # Nor can the manager take the close back.
        code, out, err = self.fb("--as", "liu", "undo")
        self.assertEqual(code, 2, err)
        self.assertIn("whose meeting is closed", err)

    def test_another_reps_command_and_an_undone_one(self):
        self.fb_ok("--as", "lina", "visit", "add", "星河教育", "--outcome", "contact")
        command = self.json_rows("--as", "lina", "log")[0]["command"]
        code, out, err = self.fb("undo", str(command))
        self.assertEqual(code, 2, err)
        self.assertIn("only a manager or leader undoes another rep's command", err)
        self.fb_ok("--as", "liu", "undo", str(command))
        code, out, err = self.fb("--as", "lina", "undo", str(command))
        self.assertEqual(code, 2, err)
        self.assertIn("was undone already, by command #", err)

    def test_nothing_to_undo(self):
        code, out, err = self.fb("--as", "zhou", "undo")
        self.assertEqual(code, 2, err)
        self.assertIn("undo: zhou has no command left to undo", err)


class LogTest(UndoCase):

    def test_log_shows_each_changed_field_in_every_format(self):
        visit = self.id_of("visit", "visit", "list")
        self.fb_ok("visit", "edit", visit, "--headcount", "65", "--note", "已报价")
        out, _ = self.fb_ok("log", "--record", f"visit:{visit}", "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        edit = [r for r in rows if r["op"] == "update"]
        self.assertEqual([(r["field"], r["old"], r["new"]) for r in edit],
                         [("headcount", "", "65"), ("note", "要硒鼓报价", "已报价")])
        self.assertEqual(edit[0]["command_line"], f"visit edit {visit} --headcount 65 --note 已报价")
        self.assertEqual(edit[0]["rep"], "zhangwei")
        self.assertEqual(edit[0]["record"], f"visit #{visit}")
        inserted = {r["field"]: r["new"] for r in rows if r["op"] == "insert"}
        self.assertEqual(inserted["outcome"], "interest")
        self.assertEqual(inserted["day"], TODAY)
        data = self.json_rows("log", "--record", f"visit:{visit}")
        self.assertEqual(len(data), len(rows))
        self.assertEqual(data[0]["field"], "headcount")
        table, _ = self.fb_ok("log", "--record", f"visit:{visit}")
        self.assertIn("update  headcount", table)
        for fmt in ("tsv", "md", "html"):
            out, _ = self.fb_ok("log", "--format", fmt)
            self.assertIn("headcount", out)

    def test_log_golden(self):
        self.fb_ok("customer", "add", "蓝海数据科技有限公司", "--floor", "12")
        self.fb_ok("customer", "edit", "蓝海", "--floor", "14", "--industry", "软件")
        self.fb_ok("undo")
        out, _ = self.fb_ok("log", "--since", "today", "--record", "customer:2")
        self.check_golden("log_customer_edit_undone.txt", out)

    def test_a_rep_reads_their_own_commands(self):
        self.fb_ok("--as", "lina", "visit", "add", "星河教育", "--outcome", "contact")
        reps = {r["rep"] for r in self.json_rows("--as", "lina", "log")}
        self.assertEqual(reps, {"lina"})
        code, out, err = self.fb("--as", "lina", "log", "--rep", "zhangwei")
        self.assertEqual(code, 2, err)
        self.assertIn("only a manager or leader reads another rep's commands", err)
        reps = {r["rep"] for r in self.json_rows("--as", "liu", "log")}
        self.assertTrue({"lina", "zhangwei", "liu"} <= reps)

    def test_history_of_an_edited_visit(self):
        visit = self.id_of("visit", "visit", "list")
        self.fb_ok("visit", "edit", visit, "--outcome", "intent")
        rows = self.json_rows("visit", "show", visit, "--history")
        self.assertEqual((rows[0]["op"], rows[0]["field"], rows[0]["old"], rows[0]["new"]),
                         ("update", "outcome", "interest", "intent"))
        self.assertEqual(rows[-1]["op"], "insert")
        table, _ = self.fb_ok("visit", "show", visit, "--history")
        self.assertIn("\nhistory\n", table)
        self.assertIn("outcome  ", table)
        rows = self.json_rows("customer", "show", "锦程", "--history")[0]["history"]
        self.assertIn(("update", "status"), {(r["op"], r["field"]) for r in rows})

    def test_a_record_that_is_not_there(self):
        code, out, err = self.fb("log", "--record", "visit:999")
        self.assertEqual(code, 2, err)
        self.assertIn("--record: no visit #999", err)
        code, out, err = self.fb("log", "--record", "planet:1")
        self.assertEqual(code, 2, err)
        self.assertIn("planet is not a kind of record", err)


class UndoEdgeTest(UndoCase):

    def test_commands_undone_one_after_another(self):
        self.fb_ok("customer", "add", "蓝海数据科技有限公司")
        self.fb_ok("customer", "edit", "蓝海", "--industry", "软件")
        before_edit = self.live()
        self.fb_ok("undo")
        self.fb_ok("undo", str(self.json_rows("log")[2]["command"]))  # the add, once the edit is undone
        self.assertNotIn("蓝海数据科技有限公司", [c["name"] for c in self.customers()])
        self.assertNotEqual(self.live(), before_edit)

    def test_a_record_others_refer_to_stays(self):
        self.fb_ok("customer", "add", "蓝海数据科技有限公司")
        add = self.json_rows("log")[0]["command"]
        self.fb_ok("contact", "add", "蓝海数据科技有限公司", "王芳")
        before = self.live()
        code, out, err = self.fb("undo", str(add))
        self.assertEqual(code, 2, err)
        self.assertRegex(err, r"added customer #\d+, which contact #\d+ refers to now")
        self.assertEqual(self.live(), before)

    def test_a_day_row_and_a_handle_an_undo_removed_come_back(self):
        self.fb_ok("--as", "liu", "meeting", "kind", "sharing")
        self.fb_ok("--as", "liu", "undo")
        self.fb_ok("--as", "liu", "meeting", "kind", "sharing")
        self.fb_ok("--as", "liu", "rep", "add", "wangfang", "--name", "王芳")
        self.fb_ok("--as", "liu", "undo")
        self.fb_ok("--as", "liu", "rep", "add", "wangfang", "--name", "王芳")
        self.assertIn("wangfang", [r["handle"] for r in self.json_rows("rep", "list")])

    def test_a_follow_up_of_a_closed_day_stays(self):
        followup = [r for r in self.json_rows("followup", "list") if r["reason"] == "progress"]
        self.fb_ok("followup", "drop", str(followup[0]["id"]))
        self.fb_ok("--as", "liu", "meeting", "close")
        code, out, err = self.fb("undo")
        self.assertEqual(code, 2, err)
        self.assertIn("whose meeting is closed", err)

    def test_a_rep_takes_back_what_their_visit_added_to_a_teammates_customer(self):
        original = self.live()
        self.fb_ok("--as", "lina", "visit", "add", "锦程贸易有限公司", "--contact", "王芳",
                   "--industry", "贸易", "--outcome", "contact")
        before = self.live()
        out, err = self.fb_ok("--as", "lina", "undo", "--dry-run")
        self.assertIn("would undo", err)
        self.assertEqual(self.live(), before)
        self.fb_ok("--as", "lina", "undo")
        self.assertEqual(self.live(), original)

    def test_an_imported_customer_list_is_the_importers_to_undo(self):
        path = os.path.join(self.tmp, "c.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("客户,楼层\n蓝海数据,12\n星河教育,16\n")
        before = self.live()
        self.fb_ok("--as", "lina", "import", "customers", path)
        self.assertEqual(self.json_rows("--as", "lina", "log")[0]["rep"], "lina")
        self.fb_ok("--as", "lina", "undo")
        self.assertEqual(self.live(), before)


if __name__ == "__main__":
    unittest.main()
