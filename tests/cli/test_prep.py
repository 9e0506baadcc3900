"""The negotiation brief (`customer prep`), the unmet needs report, look-alike names caught
where they are typed, and part of a category name.

The team: zhang founded the store (a rep), li is a rep, wang the manager. li's customers come
from li's visits, so li owns them. The clock is fixed (FIELDBOOK_NOW, 2026-11-26 Asia/Shanghai).
"""

import json
import sqlite3
import unittest

from fbtest import FieldbookTestCase

WEST = "西部数据云计算有限公司"


class PrepCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhang", "张伟")
        self.add_rep("li", "李娜")
        self.add_rep("wang", "王建林", role="manager")

    def as_ok(self, who, *args):
        code, out, err = self.fb("--as", who, *args)
        self.assertEqual(code, 0, f"{who}: fieldbook {' '.join(args)} failed:\n{err}")
        return out, err

    def brief(self, customer):
        out, _ = self.as_ok("li", "customer", "prep", customer, "--format", "json")
        rows = json.loads(out)
        self.assertEqual(len(rows), 1)
        return rows[0]

    def needs(self, customer_name):
        """The customer's live unmet_need rows, (item, item_key, volume) in order."""
        con = sqlite3.connect(self.db)
        try:
            return con.execute(
                "SELECT n.item, n.item_key, n.volume FROM unmet_need n "
                "JOIN customer c ON c.id = n.customer_id "
                "WHERE c.name = ? AND n.deleted_at IS NULL ORDER BY n.id",
                (customer_name,)).fetchall()
        finally:
            con.close()


class BriefTest(PrepCase):

    def setUp(self):
        super().setUp()
        self.as_ok("li", "visit", "add", WEST, "--building", "天府软件园B座", "--floor", "12",
                   "--room", "1203", "--contact", "王芳", "--role", "purchaser",
                   "--outcome", "interest", "--note", "问了碎纸机")

    def test_fields_are_set_one_by_one_and_the_others_stay(self):
        _, err = self.as_ok("li", "customer", "prep", "西部数据", "--concerns", "价格偏高")
        self.assertIn("changed concerns", err)
        self.as_ok("li", "customer", "prep", "西部数据", "--team", "李娜 主谈；张伟 记录",
                   "--can-concede", "满1000减50")
        b = self.brief("西部数据")
        self.assertEqual(b["customer"], WEST)
        self.assertEqual(b["concerns"], "价格偏高")
        self.assertEqual(b["team"], "李娜 主谈；张伟 记录")
        self.assertEqual(b["can_concede"], "满1000减50")
        self.assertIsNone(b["guidance"])
        # One field edited: only it changes.
        self.as_ok("li", "customer", "prep", "西部数据", "--concerns", "送货慢")
        b2 = self.brief("西部数据")
        self.assertEqual(b2["concerns"], "送货慢")
        self.assertEqual({k: v for k, v in b2.items() if k not in ("concerns", "updated_at")},
                         {k: v for k, v in b.items() if k not in ("concerns", "updated_at")})
        # An empty value clears one; the same value again changes nothing.
        self.as_ok("li", "customer", "prep", "西部数据", "--can-concede", "")
        self.assertIsNone(self.brief("西部数据")["can_concede"])
        _, err = self.as_ok("li", "customer", "prep", "西部数据", "--team", "李娜 主谈；张伟 记录")
        self.assertIn("nothing changed", err)
        # One live brief for the customer, whatever the edits.
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute(
            "SELECT COUNT(*) FROM negotiation_brief WHERE deleted_at IS NULL").fetchone()[0], 1)
        con.close()

    def test_guidance_is_the_managers(self):
        before = self.db_snapshot()
        code, out, err = self.fb("--as", "li", "customer", "prep", "西部数据",
                                 "--guidance", "先报九五折")
        self.assertUsageError((code, out, err), "manager")
        self.assertEqual(self.db_snapshot(), before)
        # Another rep may not change li's customer's brief at all.
        code, out, err = self.fb("--as", "zhang", "customer", "prep", "西部数据",
                                 "--concerns", "x")
        self.assertUsageError((code, out, err), "li")
        self.assertEqual(self.db_snapshot(), before)
        self.as_ok("wang", "customer", "prep", "西部数据", "--guidance", "先报九五折，底线九折")
        self.assertEqual(self.brief("西部数据")["guidance"], "先报九五折，底线九折")
        # A rep may not undo the manager's command that set it; the manager may.
        log = json.loads(self.as_ok("wang", "log", "--format", "json")[0])
        guidance_command = max(int(r["command"]) for r in log if r["field"] == "guidance")
        before = self.db_snapshot()
        self.assertUsageError(self.fb("--as", "li", "undo", str(guidance_command)),
                              "only a manager or leader undoes another rep's command")
        self.assertEqual(self.db_snapshot(), before)
        self.as_ok("wang", "undo", str(guidance_command))
        self.assertIsNone(self.brief("西部数据")["guidance"])
        self.as_ok("wang", "customer", "prep", "西部数据", "--guidance", "先报九五折，底线九折")
        # li edits the rest and leaves the manager's guidance as it is...
        self.as_ok("li", "customer", "prep", "西部数据", "--strengths", "次日送达")
        b = self.brief("西部数据")
        self.assertEqual((b["guidance"], b["strengths"]), ("先报九五折，底线九折", "次日送达"))
        # ...but may not clear it.
        self.assertUsageError(self.fb("--as", "li", "customer", "prep", "西部数据",
                                      "--guidance", ""), "manager")

    def test_md_and_html_hold_every_section(self):
        self.as_ok("li", "customer", "prep", "西部数据", "--concerns", "价格偏高\n担心发票",
                   "--unmet-needs", "碎纸机×20；定制信封", "--resources", "样品一套")
        self.as_ok("wang", "customer", "prep", "西部数据", "--guidance", "<b>先报九五折</b>")
        headings = ["客户顾虑 Concerns", "可让步 Can concede", "底线 Cannot concede",
                    "我方优势 Strengths", "我方劣势 Weaknesses", "经理指导 Manager's guidance",
                    "可用资源 Resources", "谈判人员 Team", "暂不能满足的需求 Unmet needs",
                    "联系人 Contacts", "最近拜访 Last visits"]
        md, _ = self.as_ok("li", "customer", "prep", "西部数据", "--format", "md")
        self.assertTrue(md.startswith(f"# 谈判简报 · {WEST} (#1)\n"), md)
        for h in headings:
            self.assertIn(f"\n## {h}\n", md)
        self.assertIn("- 地址 Where: 天府软件园B座, floor 12, room 1203\n", md)
        self.assertIn("价格偏高  \n担心发票\n", md)   # lines typed apart stay apart
        self.assertIn("- 碎纸机 × 20\n- 定制信封\n", md)
        self.assertIn("王芳", md)
        self.assertIn("问了碎纸机", md)
        html, _ = self.as_ok("li", "customer", "prep", "西部数据", "--format", "html")
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        for h in headings:
            self.assertIn(f"<h2>{h}</h2>", html)
        self.assertIn("<li>碎纸机 × 20</li>", html)
        self.assertNotIn("<b>先报九五折</b>", html)   # raw HTML in anyone's text is not passed
        text, _ = self.as_ok("li", "customer", "prep", "西部数据")
        for h in headings:
            self.assertIn(h, text)
        self.assertIn("  - 碎纸机 × 20\n", text)

    def test_an_edit_is_undone(self):
        self.as_ok("li", "customer", "prep", "西部数据", "--concerns", "价格偏高",
                   "--team", "李娜 主谈")
        self.as_ok("li", "customer", "prep", "西部数据", "--concerns", "送货慢")
        _, err = self.as_ok("li", "undo")
        self.assertIn("undid command #", err)
        b = self.brief("西部数据")
        self.assertEqual((b["concerns"], b["team"]), ("价格偏高", "李娜 主谈"))
        self.as_ok("li", "undo")   # undoing the undo
        self.assertEqual(self.brief("西部数据")["concerns"], "送货慢")

    def test_unmet_needs_are_replaced_on_edit(self):
        self.as_ok("li", "customer", "prep", "西部数据", "--unmet-needs", "碎纸机×20；定制信封")
        self.assertEqual(self.needs(WEST), [("碎纸机", "碎纸机", 20), ("定制信封", "定制信封", None)])
        self.as_ok("li", "customer", "prep", "西部数据", "--unmet-needs", "Ａ4纸 x 5、碎纸机*8")
        self.assertEqual(self.needs(WEST), [("Ａ4纸", "a4纸", 5), ("碎纸机", "碎纸机", 8)])
        self.assertEqual(self.brief("西部数据")["unmet_needs"], "Ａ4纸 x 5、碎纸机*8")
        self.as_ok("li", "undo")
        self.assertEqual(self.needs(WEST), [("碎纸机", "碎纸机", 20), ("定制信封", "定制信封", None)])
        self.as_ok("li", "customer", "prep", "西部数据", "--unmet-needs", "")
        self.assertEqual(self.needs(WEST), [])
        self.assertIsNone(self.brief("西部数据")["unmet_needs"])
        before = self.db_snapshot()
        self.assertUsageError(self.fb("--as", "li", "customer", "prep", "西部数据",
                                      "--unmet-needs", "碎纸机；×20"), "--unmet-needs")
        self.assertEqual(self.db_snapshot(), before)


class NeedsReportTest(PrepCase):

    def setUp(self):
        super().setUp()
        for who, name in (("li", "甲公司"), ("li", "乙公司"), ("zhang", "丙公司")):
            self.as_ok(who, "visit", "add", name, "--outcome", "interest")
        self.as_ok("li", "customer", "prep", "甲公司", "--unmet-needs", "碎纸机×20；定制信封；A4纸×2")
        self.as_ok("li", "customer", "prep", "乙公司", "--unmet-needs", "碎纸机 x 10、饮水机")
        self.as_ok("zhang", "customer", "prep", "丙公司",
                   "--unmet-needs", "碎纸机\n定制信封*300；饮水机×2；ａ４纸 ×3")

    def test_needs_across_customers(self):
        rows = self.json_rows("report", "needs")
        got = [(r["item"], r["customers"], r["customer_names"], r["volume"], r["without_volume"])
               for r in rows]
        # 碎纸机: 20 + 10, 丙 gave none. 定制信封: 300, 甲 gave none. A4纸 (ａ４纸 folds into it):
        # 2 + 3. 饮水机: 2, 乙 gave none. Most customers first, then the largest volume.
        self.assertEqual(got, [
            ("碎纸机", 3, "甲公司、乙公司、丙公司", 30, 1),
            ("定制信封", 2, "甲公司、丙公司", 300, 1),
            ("A4纸", 2, "甲公司、丙公司", 5, 0),
            ("饮水机", 2, "乙公司、丙公司", 2, 1),
        ])
        li = [(r["item"], r["customers"], r["volume"])
              for r in self.json_rows("report", "needs", "--rep", "li")]
        self.assertEqual(li, [("碎纸机", 2, 30), ("A4纸", 1, 2), ("定制信封", 1, 0), ("饮水机", 1, 0)])
        csv_out, _ = self.fb_ok("report", "needs", "--format", "csv")
        self.assertEqual(csv_out.splitlines()[0],
                         "item,customers,customer_names,volume,without_volume")
        # Recorded today: a period before today holds none.
        self.assertEqual(self.json_rows("report", "needs", "--until", "2026-11-25"), [])
        self.assertEqual(len(self.json_rows("report", "needs", "--since", "2026-11-26")), 4)


class LookalikeTest(PrepCase):

    def setUp(self):
        super().setUp()
        self.as_ok("li", "customer", "add", WEST, "--building", "天府软件园B座", "--room", "1203")

    def customers(self):
        return [(int(r["id"]), r["name"]) for r in self.json_rows("customer", "list")]

    def test_one_character_off_is_refused_without_a_terminal(self):
        before = self.db_snapshot()
        self.assertUsageError(self.fb("--as", "li", "visit", "add", "西部数码云计算有限公司",
                                      "--outcome", "contact"), WEST, "differs by one character")
        self.assertEqual(self.db_snapshot(), before)
        # Short names one character apart are two companies: no question.
        self.as_ok("li", "visit", "add", "熊猫", "--outcome", "contact")
        self.as_ok("li", "visit", "add", "熊熊", "--outcome", "contact")
        self.as_ok("li", "visit", "add", "成都蓝海科技", "--outcome", "contact")
        self.as_ok("li", "visit", "add", "成都蓝天科技", "--outcome", "contact")
        self.assertEqual(len(self.customers()), 5)

    def ask(self, answer, *command):
        return self.fb_pty("--as", "li", *command, answers=[("Choose 1-3", answer)])

    def test_choice_1_uses_the_existing_customer(self):
        code, transcript, _ = self.ask(b"1\r", "visit", "add", "西部数码云计算有限公司",
                                       "--outcome", "interest", "--note", "要报价")
        self.assertEqual(code, 0, transcript)
        self.assertIn(f"1) use #1 {WEST} (the name differs by one character)", transcript)
        self.assertIn("2) create 西部数码云计算有限公司 as new", transcript)
        self.assertIn("3) cancel", transcript)
        self.assertEqual(self.customers(), [(1, WEST)])
        visits = self.json_rows("visit", "list")
        self.assertEqual([(v["customer"], v["note"]) for v in visits], [(WEST, "要报价")])

    def test_choice_2_creates_the_new_one(self):
        code, transcript, _ = self.ask(b"2\r", "visit", "add", "西部数码云计算有限公司",
                                       "--outcome", "interest")
        self.assertEqual(code, 0, transcript)
        self.assertEqual(self.customers(), [(1, WEST), (2, "西部数码云计算有限公司")])
        self.assertEqual([v["customer"] for v in self.json_rows("visit", "list")],
                         ["西部数码云计算有限公司"])

    def test_choice_3_cancels_and_writes_nothing(self):
        before = self.db_snapshot()
        code, transcript, _ = self.ask(b"3\r", "visit", "add", "西部数码云计算有限公司",
                                       "--outcome", "interest")
        self.assertEqual(code, 2, transcript)
        self.assertIn("cancelled", transcript)
        self.assertEqual(self.db_snapshot(), before)
        # An answer out of range is asked again; an empty one cancels.
        code, transcript, _ = self.fb_pty(
            "--as", "li", "customer", "add", "西部数码云计算有限公司",
            answers=[("Choose 1-3", b"7\r"), ("from 1 to 3", b"\r")])
        self.assertEqual(code, 2, transcript)
        self.assertEqual(self.db_snapshot(), before)

    def test_customer_add_choice_1_adds_nothing(self):
        before = self.db_snapshot()
        code, transcript, _ = self.ask(b"1\r", "customer", "add", "西部数码云计算")
        self.assertEqual(code, 0, transcript)
        self.assertIn(f"nothing added: #1 {WEST} is the customer", transcript)
        self.assertEqual(self.db_snapshot(), before)

    def test_an_ambiguous_part_name_lists_the_candidates(self):
        for i in range(1, 13):
            self.as_ok("li", "customer", "add", f"华西文具{i:02d}店", "--building", "环球中心",
                       "--room", f"{i}01", "--new")
        code, out, err = self.fb("--as", "li", "contact", "add", "华西文具", "王芳")
        self.assertUsageError((code, out, err), "'华西文具' matches 12 customers:")
        self.assertIn("\n  #2 华西文具01店 (环球中心 101)\n", err)
        self.assertIn("\n  #11 华西文具10店 (环球中心 1001)\n", err)
        self.assertNotIn("华西文具11店", err)
        self.assertIn("\n  ... and 2 more", err)
        # At a terminal, a part of many names offers the first nine of them.
        before = self.db_snapshot()
        code, transcript, _ = self.fb_pty("--as", "li", "visit", "add", "华西文具",
                                          "--outcome", "contact",
                                          answers=[("Choose 1-11", b"11\r")])
        self.assertEqual(code, 2, transcript)
        self.assertIn("9) use #10 华西文具09店", transcript)
        self.assertIn("... and 3 more", transcript)
        self.assertIn("10) create 华西文具 as new", transcript)
        self.assertEqual(self.db_snapshot(), before)


class CategoryPartTest(FieldbookTestCase):

    def test_part_of_a_category_name(self):
        self.init_store()
        whole = self.json_rows("visit", "catalog", "--category", "文件管理")
        part = self.json_rows("visit", "catalog", "--category", "文件")
        self.assertTrue(whole)
        self.assertEqual(part, whole)
        self.assertEqual(self.json_rows("visit", "catalog", "--category", "fil"), whole)
        # "e" is part of three keys: paper, printer, equipment.
        code, out, err = self.fb("visit", "catalog", "--category", "e")
        self.assertUsageError((code, out, err), "'e' is part of", "paper (纸张)",
                              "equipment (办公设备)")


if __name__ == "__main__":
    unittest.main()
