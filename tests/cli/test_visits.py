"""A rep's day: logging visits in Chinese (flags and prompts), listing, showing, editing,
deleting and searching them; customer matching and near-duplicate refusal; dates."""

import json
import unicodedata
import unittest

from fbtest import FieldbookTestCase, TODAY, YESTERDAY

# A dozen visits by two reps over a week. "today" is Thursday 2026-11-26.
# (key, rep, customer, flags, outcome, note, at)
DOZEN = [
    ("v1", "zhangwei", "成都办公伙伴公司",
     ["--building", "天府软件园B座", "--floor", "12", "--room", "1203",
      "--contact", "王芳", "--role", "gatekeeper", "--card", "--phone", "13800001234",
      "--next", "+3d"],
     "contact", "前台收下了目录，说采购由行政负责", "2026-11-26 09:10"),
    ("v2", "zhangwei", "蓝海数据科技有限公司",
     ["--building", "天府软件园B座", "--floor", "12", "--room", "1205"],
     "refused", "门口贴着谢绝推销", "2026-11-26 09:30"),
    ("v3", "zhangwei", "锦城律师事务所",
     ["--building", "天府软件园B座", "--floor", "13", "--room", "1301",
      "--contact", "张律师", "--role", "decision-maker", "--headcount", "25",
      "--brands", "得力, 晨光", "--usage", "A4纸每月20箱"],
     "interest", "需要A4纸和硒鼓，每月约20箱纸", "2026-11-26 09:50"),
    ("v4", "lina", "ACME Ltd",
     ["--building", "环球中心", "--floor", "5", "--room", "501",
      "--contact", "Bob Smith", "--role", "purchaser"],
     "intent", "Wants a quote for 100 reams", "2026-11-25 14:00"),
    ("v5", "lina", "Office伙伴",
     ["--building", "环球中心", "--floor", "5", "--room", "502"],
     "absent", "无人应门", "2026-11-25 15:00"),
    ("v6", "zhangwei", "优客户外用品",
     ["--building", "环球中心", "--floor", "6", "--room", "601",
      "--contact", "刘经理", "--role", "purchaser"],
     "contact", "老客户介绍来的，用得力的文件夹", "2026-11-23 10:30"),
    ("v7", "lina", "华西医疗器械",
     ["--building", "环球中心", "--floor", "6", "--room", "602",
      "--contact", "陈秘书", "--role", "gatekeeper"],
     "interest", "打印纸用得很快，100% 需要批量折扣", "2026-11-23 11:00"),
    ("v8", "zhangwei", "西南建筑设计院",
     ["--building", "天府软件园B座", "--floor", "14", "--room", "1401",
      "--contact", "赵工", "--role", "inside"],
     "order", '下单签字笔 a_b 型号，说"下周再来"', "2026-11-19 16:00"),
    ("v9", "zhangwei", "成都办公伙伴公司",
     ["--contact", "王芳"],
     "interest", "王芳说采购周五开会 *急* OR 下周", None),          # now: 2026-11-26 10:00
    ("v10", "lina", "川味餐饮管理",
     ["--building", "环球中心", "--floor", "7", "--room", "701"],
     "refused", "(NEAR) 保安不让进: 'no'", "2026-11-19 17:00"),
    ("v11", "zhangwei", "博学教育咨询",
     ["--building", "天府软件园B座", "--floor", "15", "--room", "1502",
      "--contact", "孙老师", "--role", "other"],
     "contact", "留了名片，是潜在客户", "2026-11-25 09:00"),
    ("v12", "zhangwei", "锦城律师事务所",
     ["--contact", "张律师"],
     "intent", "报价单已发邮件", "yesterday 16:00"),
]


# Names far enough apart that none looks like a near-duplicate of another.
DISTINCT_NAMES = ["星辰广告", "华西文具批发", "锦江物流", "青羊律师楼", "高新软件园",
                  "武侯医药连锁", "金牛建材市场", "天府茶业", "成华电子厂", "温江花木基地"]


def fold(text):
    return unicodedata.normalize("NFKC", text or "").casefold()


class DozenVisitsCase(FieldbookTestCase):
    """A store where zhangwei (and lina) logged the dozen visits above, through flags."""

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")
        for key, rep, customer, flags, outcome, note, at in DOZEN:
            args = ["--as", rep, "visit", "add", customer, *flags, "--outcome", outcome,
                    "--note", note]
            if at == "yesterday 16:00":
                args += ["--at", "2026-11-25 16:00"]
            elif at:
                args += ["--at", at]
            code, out, err = self.fb(*args)
            self.assertEqual(code, 0, f"{key}: {err}")
            self.assertEqual(out, "", "visit add prints messages on stderr, not stdout")
            self.assertIn(customer, err)
        rows = self.json_rows("visit", "list")
        self.assertEqual(len(rows), len(DOZEN))
        by_note = {r["note"]: r["id"] for r in rows}
        self.vid = {key: by_note[note] for key, _, _, _, _, note, _ in DOZEN}
        self.rows = rows

    def ids(self, *args):
        return {r["id"] for r in self.json_rows(*args)}

    def keys(self, *keys):
        return {self.vid[k] for k in keys}


class LogAndListTest(DozenVisitsCase):

    def test_list_is_newest_first_with_all_columns(self):
        order = [r["id"] for r in self.rows]
        self.assertEqual(order, [self.vid[k] for k in
                                 ("v9", "v3", "v2", "v1", "v12", "v5", "v4", "v11",
                                  "v7", "v6", "v10", "v8")])
        v1 = next(r for r in self.rows if r["id"] == self.vid["v1"])
        self.assertEqual(v1["day"], TODAY)
        self.assertEqual(v1["time"], "09:10")
        self.assertEqual(v1["rep"], "zhangwei")
        self.assertEqual(v1["customer"], "成都办公伙伴公司")
        self.assertEqual(v1["building"], "天府软件园B座")
        self.assertEqual(v1["floor"], "12")
        self.assertEqual(v1["room"], "1203")
        self.assertEqual(v1["contact"], "王芳")
        self.assertEqual(v1["contact_role"], "gatekeeper")
        self.assertEqual(v1["outcome"], "contact")
        self.assertEqual(v1["kind"], "initial")
        self.assertEqual(v1["next_due"], "2026-11-29")
        v9 = next(r for r in self.rows if r["id"] == self.vid["v9"])
        self.assertEqual(v9["kind"], "revisit", "a second visit to a customer is a revisit")
        self.assertEqual(v9["time"], "10:00", "no --at: FIELDBOOK_NOW")

    def test_same_customer_reused_not_duplicated(self):
        names = [c["name"] for c in self.customers()]
        self.assertEqual(len(names), 10)
        self.assertEqual(names.count("成都办公伙伴公司"), 1)
        self.assertEqual(names.count("锦城律师事务所"), 1)
        out, err = self.fb_ok("contact", "list", "锦城律师事务所", "--format", "json")
        self.assertEqual([c["name"] for c in json.loads(out)], ["张律师"])

    def test_filter_by_rep(self):
        self.assertEqual(self.ids("visit", "list", "--rep", "lina"),
                         self.keys("v4", "v5", "v7", "v10"))
        self.assertEqual(len(self.ids("visit", "list", "--rep", "zhangwei")), 8)

    def test_filter_by_customer_name_part_and_id(self):
        expected = self.keys("v3", "v12")
        self.assertEqual(self.ids("visit", "list", "--customer", "锦城律师事务所"), expected)
        self.assertEqual(self.ids("visit", "list", "--customer", "锦城"), expected)
        cid = next(c["id"] for c in self.customers() if c["name"] == "锦城律师事务所")
        self.assertEqual(self.ids("visit", "list", "--customer", str(cid)), expected)

    def test_filter_by_building(self):
        self.assertEqual(self.ids("visit", "list", "--building", "环球中心"),
                         self.keys("v4", "v5", "v6", "v7", "v10"))
        self.assertEqual(self.ids("visit", "list", "--building", "天府软件园B座"),
                         self.keys("v1", "v2", "v3", "v8", "v9", "v11", "v12"))

    def test_filter_by_day(self):
        self.assertEqual(self.ids("visit", "list", "--on", "today"),
                         self.keys("v1", "v2", "v3", "v9"))
        self.assertEqual(self.ids("visit", "list", "--on", TODAY),
                         self.keys("v1", "v2", "v3", "v9"))
        self.assertEqual(self.ids("visit", "list", "--on", "yesterday"),
                         self.keys("v4", "v5", "v11", "v12"))
        self.assertEqual(self.ids("visit", "list", "--on", "mon"), self.keys("v6", "v7"))
        self.assertEqual(self.ids("visit", "list", "--on", "周一"), self.keys("v6", "v7"))
        self.assertEqual(self.ids("visit", "list", "--on", "2026-11-19"), self.keys("v8", "v10"))
        self.assertEqual(self.ids("visit", "list", "--on", "tomorrow"), set())

    def test_filter_by_range(self):
        self.assertEqual(self.ids("visit", "list", "--since", "2026-11-23", "--until", "yesterday"),
                         self.keys("v4", "v5", "v6", "v7", "v11", "v12"))
        self.assertEqual(len(self.ids("visit", "list", "--since", "-1w")), 12)
        self.assertEqual(self.ids("visit", "list", "--since", "-1d"),
                         self.keys("v1", "v2", "v3", "v9", "v4", "v5", "v11", "v12"))
        self.assertEqual(self.ids("visit", "list", "--until", "2026-11-19"),
                         self.keys("v8", "v10"))
        self.assertEqual(self.ids("visit", "list", "--since", "today"),
                         self.keys("v1", "v2", "v3", "v9"))

    def test_filter_by_outcome_and_combined(self):
        self.assertEqual(self.ids("visit", "list", "--outcome", "interest"),
                         self.keys("v3", "v7", "v9"))
        self.assertEqual(self.ids("visit", "list", "--rep", "zhangwei", "--on", "today",
                                  "--outcome", "interest"), self.keys("v3", "v9"))

    def test_limit_keeps_the_newest(self):
        rows = self.json_rows("visit", "list", "--limit", "3")
        self.assertEqual([r["id"] for r in rows], [self.vid[k] for k in ("v9", "v3", "v2")])
        rows = self.json_rows("visit", "list", "--rep", "lina", "--limit", "1")
        self.assertEqual([r["id"] for r in rows], [self.vid["v5"]])

    def test_show_every_field(self):
        v = self.show_visit(self.vid["v1"])
        expected = {
            "id": self.vid["v1"], "day": TODAY, "time": "09:10",
            "at_utc": "2026-11-26T01:10:00Z", "rep": "zhangwei", "customer": "成都办公伙伴公司",
            "building": "天府软件园B座", "floor": "12", "room": "1203", "contact": "王芳",
            "contact_role": "gatekeeper", "contact_phone": "13800001234", "card": "yes",
            "kind": "initial", "outcome": "contact", "note": "前台收下了目录，说采购由行政负责",
            "next_due": "2026-11-29", "next_channel": "phone",
        }
        for key, value in expected.items():
            self.assertEqual(v.get(key), value, key)
        v3 = self.show_visit(self.vid["v3"])
        self.assertEqual(v3["headcount"], 25)
        self.assertEqual(v3["brands"], "得力, 晨光")
        self.assertEqual(v3["usage"], "A4纸每月20箱")
        # the table form names the same fields
        out, err = self.fb_ok("visit", "show", str(self.vid["v1"]))
        lines = dict(line.split(None, 1) for line in out.splitlines() if line.strip())
        self.assertEqual(lines["customer"], "成都办公伙伴公司")
        self.assertEqual(lines["next_due"], "2026-11-29")
        self.assertEqual(lines["contact_role"], "gatekeeper")

    def test_show_missing_and_bad_ids(self):
        self.assertFailure(self.fb("visit", "show", "99999"), "99999")
        self.assertUsageError(self.fb("visit", "show", "abc"), "abc")
        self.assertFailure(self.fb("visit", "edit", "99999", "--note", "x"), "99999")
        self.assertUsageError(self.fb("visit", "edit", "abc", "--note", "x"), "abc")
        self.assertFailure(self.fb("visit", "delete", "99999"), "99999")
        self.assertUsageError(self.fb("visit", "delete", "abc"), "abc")

    def test_edit_changes_only_given_fields(self):
        vid = self.vid["v1"]
        before = self.show_visit(vid)
        code, out, err = self.fb("visit", "edit", str(vid), "--note", "改了：前台说下周再来",
                                 "--outcome", "interest",
                                 env={"FIELDBOOK_NOW": "2026-11-26T18:30:00+08:00"})
        self.assertEqual(code, 0, err)
        after = self.show_visit(vid)
        self.assertEqual(after["note"], "改了：前台说下周再来")
        self.assertEqual(after["outcome"], "interest")
        self.assertEqual(after["updated_at"], "2026-11-26T10:30:00Z")
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        self.assertEqual(changed, {"note", "outcome", "updated_at"})
        # the other visits did not move
        others = [r for r in self.json_rows("visit", "list") if r["id"] != vid]
        self.assertEqual(others, [r for r in self.rows if r["id"] != vid])

    def test_edit_time_moves_the_day(self):
        vid = self.vid["v2"]
        self.fb_ok("visit", "edit", str(vid), "--at", "2026-11-24 08:15")
        v = self.show_visit(vid)
        self.assertEqual((v["day"], v["time"], v["at_utc"]),
                         ("2026-11-24", "08:15", "2026-11-24T00:15:00Z"))
        self.assertEqual(v["note"], "门口贴着谢绝推销")
        self.assertIn(vid, self.ids("visit", "list", "--on", "2026-11-24"))
        self.assertNotIn(vid, self.ids("visit", "list", "--on", "today"))

    def test_edit_with_nothing_to_change_is_a_usage_error(self):
        self.assertUsageError(self.fb("visit", "edit", str(self.vid["v1"])))

    def test_delete_hides_from_list_show_and_search(self):
        vid = self.vid["v2"]
        code, out, err = self.fb("visit", "delete", str(vid))
        self.assertEqual(code, 0, err)
        self.assertNotIn(vid, self.ids("visit", "list"))
        self.assertEqual(self.ids("visit", "search", "谢绝推销"), set())
        self.assertEqual(self.fb("visit", "show", str(vid))[0], 1)
        self.assertEqual(len(self.ids("visit", "list")), 11)

    def test_next_creates_a_followup_shown_as_next_due(self):
        rows = {r["id"]: r for r in self.rows}
        self.assertEqual(rows[self.vid["v1"]]["next_due"], "2026-11-29")
        self.assertIn(rows[self.vid["v2"]]["next_due"], (None, ""))
        fu = self.sql("SELECT due_day, channel, state, origin_visit_id, closed_visit_id "
                      "FROM followup WHERE deleted_at IS NULL")
        # v9, zhangwei's next visit to the same customer, was the contact it waited for
        self.assertEqual(fu, [("2026-11-29", "phone", "done", self.vid["v1"], self.vid["v9"])])
        vid = self.add_visit("华西医疗器械", "--next", "fri", "--next-channel", "email")
        v = self.show_visit(vid)
        self.assertEqual((v["next_due"], v["next_channel"]), ("2026-11-27", "email"))
        self.assertEqual(len(self.sql("SELECT 1 FROM followup")), 2)


class SearchTest(DozenVisitsCase):
    """visit search: any substring of note, customer or contact; 1-, 2- and 3+-character terms;
    full-width Latin and case folded; user text never query syntax."""

    def expected(self, query):
        q = fold(query)
        hits = set()
        for key, rep, customer, flags, outcome, note, at in DOZEN:
            contact = flags[flags.index("--contact") + 1] if "--contact" in flags else ""
            if any(q in fold(field) for field in (note, customer, contact)):
                hits.add(self.vid[key])
        return hits

    def check(self, query, *keys):
        code, out, err = self.fb("visit", "search", query, "--format", "json")
        self.assertEqual(code, 0, f"search {query!r}: {err}")
        self.assertEqual(err, "", f"search {query!r} printed: {err}")
        got = {r["id"] for r in json.loads(out)}
        want = self.keys(*keys)
        self.assertEqual(want, self.expected(query), f"test data for {query!r}")
        self.assertEqual(got, want, f"search {query!r}")

    def test_one_character(self):
        self.check("纸", "v3", "v7")
        self.check("芳", "v1", "v9")
        self.check("鼓", "v3")

    def test_two_characters(self):
        self.check("客户", "v6", "v11")
        self.check("采购", "v1", "v9")
        self.check("王芳", "v1", "v9")
        self.check("律师", "v3", "v12")
        self.check("伙伴", "v1", "v5", "v9")

    def test_three_or_more_characters(self):
        self.check("谢绝推销", "v2")
        self.check("律师事务", "v3", "v12")
        self.check("张律师", "v3", "v12")
        self.check("打印纸", "v7")
        self.check("成都办公伙伴公司", "v1", "v9")
        self.check("报价单已发邮件", "v12")
        self.check("不存在的词", )

    def test_latin_case_and_full_width(self):
        self.check("ACME", "v4")
        self.check("acme ltd", "v4")
        self.check("ＡＣＭＥ", "v4")
        self.check("ａｃｍｅ　ｌｔｄ", "v4")
        self.check("ＯＦＦＩＣＥ伙伴", "v5")
        self.check("REAMS", "v4")
        self.check("bob", "v4")
        self.check("Ａ４纸", "v3")

    def test_special_characters_are_literal(self):
        self.check("%", "v7")
        self.check("100%", "v7")
        self.check("%%")
        self.check("_", "v8")
        self.check("a_b", "v8")
        self.check("a%b")
        self.check('"', "v8")
        self.check('"下周再来"', "v8")
        self.check('"下周', "v8")
        self.check("*", "v9")
        self.check("*急*", "v9")
        self.check("急*", "v9")
        self.check("OR", "v4", "v9")
        self.check("OR 下周", "v9")
        self.check("AND")
        self.check("NOT 纸")
        self.check("(NEAR)", "v10")
        self.check("NEAR", "v10")
        self.check("'no'", "v10")
        self.check(": '", "v10")
        self.check("-")
        self.check("^")
        self.check("纸 OR 鼓")
        self.check("\\")

    def test_search_filters_and_formats(self):
        self.check("采购", "v1", "v9")
        rows = self.json_rows("visit", "search", "采购", "--on", "today", "--outcome", "interest")
        self.assertEqual({r["id"] for r in rows}, self.keys("v9"))
        rows = self.csv_rows("visit", "search", "纸", "--rep", "lina")
        self.assertEqual({int(r["id"]) for r in rows}, self.keys("v7"))
        self.assertEqual(rows[0]["note"], "打印纸用得很快，100% 需要批量折扣")


class CustomerMatchingTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()
        self.add_visit("Office伙伴", "--building", "环球中心", "--floor", "5", "--room", "502")
        self.add_visit("蓝海科技有限公司", "--building", "天府软件园B座", "--floor", "12",
                       "--room", "1203")

    def customer_names(self):
        return sorted(c["name"] for c in self.customers())

    def test_nfkc_and_case_fold_find_the_existing_customer(self):
        for spelling in ("ＯＦＦＩＣＥ伙伴", "office伙伴", "OFFICE伙伴", "Ｏｆｆｉｃｅ伙伴"):
            with self.subTest(spelling=spelling):
                vid = self.add_visit(spelling, outcome="interest")
                self.assertEqual(self.show_visit(vid)["customer"], "Office伙伴")
        self.assertEqual(self.customer_names(), ["Office伙伴", "蓝海科技有限公司"])
        counts = {c["name"]: c["visits"] for c in self.customers()}
        self.assertEqual(counts["Office伙伴"], 5)
        rows = self.json_rows("visit", "list", "--customer", "ＯＦＦＩＣＥ伙伴")
        self.assertEqual(len(rows), 5)
        out, err = self.fb_ok("customer", "show", "ｏｆｆｉｃｅ伙伴")
        self.assertIn("Office伙伴", out)

    def test_new_name_in_an_occupied_room_is_refused_without_terminal(self):
        before = self.db_snapshot()
        code, out, err = self.fb("visit", "add", "星辰广告", "--building", "环球中心",
                                 "--floor", "5", "--room", "502", "--outcome", "contact")
        self.assertEqual(code, 2, err)
        self.assertIn("Office伙伴", err)
        self.assertIn("--new", err)
        self.assertEqual(out, "")
        self.assertEqual(self.db_snapshot(), before)
        code, out, err = self.fb("visit", "add", "星辰广告", "--building", "环球中心",
                                 "--floor", "5", "--room", "502", "--outcome", "contact", "--new")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.customer_names(), ["Office伙伴", "星辰广告", "蓝海科技有限公司"])

    def test_trivially_different_name_is_refused_without_terminal(self):
        for name in ("蓝海科技", "蓝海科技 有限公司", "蓝海科技（有限公司）", "蓝海科技有限公司。"):
            with self.subTest(name=name):
                before = self.db_snapshot()
                code, out, err = self.fb("visit", "add", name, "--outcome", "contact")
                self.assertEqual(code, 2, err)
                self.assertIn("蓝海科技有限公司", err)
                self.assertIn("--new", err)
                self.assertEqual(self.db_snapshot(), before)
        code, out, err = self.fb("visit", "add", "蓝海科技", "--outcome", "contact", "--new")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.customer_names(), ["Office伙伴", "蓝海科技", "蓝海科技有限公司"])
        # the exact name now finds the new customer, no question asked
        vid = self.add_visit("蓝海科技")
        self.assertEqual(self.show_visit(vid)["customer"], "蓝海科技")

    def test_customer_add_refuses_near_duplicates_too(self):
        before = self.db_snapshot()
        code, out, err = self.fb("customer", "add", "蓝海科技")
        self.assertEqual(code, 2, err)
        self.assertIn("蓝海科技有限公司", err)
        self.assertEqual(self.db_snapshot(), before)
        self.fb_ok("customer", "add", "蓝海科技", "--new")
        self.assertIn("蓝海科技", self.customer_names())

    def test_near_duplicate_asks_on_a_terminal(self):
        before = self.db_snapshot()
        code, transcript, _ = self.fb_pty("visit", "add", "蓝海科技", "--outcome", "contact",
                                          answers=[("Choose 1-3", b"3\r")])
        self.assertNotEqual(code, 0, transcript)
        self.assertIn("1) use #2 蓝海科技有限公司", transcript)
        self.assertEqual(self.db_snapshot(), before, "cancelling writes nothing")
        code, transcript, _ = self.fb_pty("visit", "add", "蓝海科技", "--outcome", "contact",
                                          answers=[("Choose 1-3", b"2\r")])
        self.assertEqual(code, 0, transcript)
        self.assertIn("蓝海科技", self.customer_names())
        self.assertEqual(len(self.customer_names()), 3)


class PromptTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()

    def test_missing_essentials_without_terminal_are_usage_errors(self):
        before = self.db_snapshot()
        self.assertUsageError(self.fb("visit", "add", "--outcome", "contact"), "CUSTOMER")
        self.assertUsageError(self.fb("visit", "add", "华西文具批发"), "--outcome")
        code, out, err = self.fb("visit", "add")
        self.assertUsageError((code, out, err), "CUSTOMER", "--outcome")
        self.assertUsageError(self.fb("--no-input", "visit", "add", "华西文具批发"), "--outcome")
        self.assertUsageError(self.fb("visit", "add", "", "--outcome", "contact"), "CUSTOMER")
        self.assertEqual(self.db_snapshot(), before)

    def test_no_input_never_prompts_even_on_a_terminal(self):
        before = self.db_snapshot()
        code, transcript, out = self.fb_pty("--no-input", "visit", "add", timeout=10)
        self.assertEqual(code, 2, transcript)
        self.assertIn("CUSTOMER", transcript)
        self.assertIn("--outcome", transcript)
        self.assertNotIn("Customer:", transcript)
        self.assertEqual(self.db_snapshot(), before)

    def test_prompts_for_customer_and_outcome_on_a_terminal(self):
        code, transcript, _ = self.fb_pty(
            "visit", "add", "--note", "在电梯口遇到行政",
            answers=[("Customer", "华西文具批发\r".encode()), ("Outcome", b"interest\r")])
        self.assertEqual(code, 0, transcript)
        self.assertIn("Customer", transcript)
        self.assertIn("Outcome", transcript)
        rows = self.json_rows("visit", "list")
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows[0]["customer"], rows[0]["outcome"], rows[0]["note"]),
                         ("华西文具批发", "interest", "在电梯口遇到行政"))

    def test_outcome_prompt_has_a_default(self):
        code, transcript, _ = self.fb_pty("visit", "add", "华西文具批发",
                                          answers=[("Outcome", b"\r")])
        self.assertEqual(code, 0, transcript)
        self.assertNotIn("Customer:", transcript, "the customer was given")
        rows = self.json_rows("visit", "list")
        self.assertEqual(len(rows), 1)
        self.assertIn(rows[0]["outcome"], transcript, "the default is shown in the prompt")

    def test_prompt_with_stdout_redirected_still_prompts_on_terminal_stdin(self):
        code, transcript, out = self.fb_pty(
            "visit", "add", answers=[("Customer", "锦城律师事务所\r".encode()),
                                     ("Outcome", b"order\r")], stdout_tty=False)
        self.assertEqual(code, 0, transcript)
        self.assertEqual(out, "", "prompts and messages never go to stdout")
        rows = self.json_rows("visit", "list")
        self.assertEqual((rows[0]["customer"], rows[0]["outcome"]), ("锦城律师事务所", "order"))

    def test_end_of_input_at_a_prompt_writes_nothing(self):
        before = self.db_snapshot()
        code, transcript, _ = self.fb_pty("visit", "add", answers=[("Customer", b"\x04")])
        self.assertEqual(code, 2, transcript)
        self.assertEqual(self.db_snapshot(), before)

    def test_a_bad_answer_is_refused(self):
        before = self.db_snapshot()
        code, transcript, _ = self.fb_pty(
            "visit", "add", "华西文具批发",
            answers=[("Outcome", b"great\r"), ("Outcome", b"\x04")])
        self.assertNotEqual(code, 0, transcript)
        self.assertIn("great", transcript)
        self.assertEqual(self.db_snapshot(), before)


class DateTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()

    def test_accepted_date_forms(self):
        cases = [  # (--at, expected day, expected time)
            ("today", TODAY, None),
            ("yesterday", YESTERDAY, None),
            ("-1w", "2026-11-19", None),
            ("-3d", "2026-11-23", None),
            ("mon", "2026-11-23", None),
            ("monday", "2026-11-23", None),
            ("周一", "2026-11-23", None),
            ("2026-11-20", "2026-11-20", None),
            ("2026-11-20 08:05", "2026-11-20", "08:05"),
            ("07:45", TODAY, "07:45"),
        ]
        for i, (value, day, time) in enumerate(cases):
            with self.subTest(at=value):
                vid = self.add_visit(DISTINCT_NAMES[i], "--at", value)
                v = self.show_visit(vid)
                self.assertEqual(v["day"], day)
                if time:
                    self.assertEqual(v["time"], time)

    def test_next_date_forms(self):
        cases = [("tomorrow", "2026-11-27"), ("+3d", "2026-11-29"), ("+1w", "2026-12-03"),
                 ("fri", "2026-11-27"), ("friday", "2026-11-27"), ("周一", "2026-11-30"),
                 ("mon", "2026-11-30"), ("2026-12-01", "2026-12-01")]
        for i, (value, due) in enumerate(cases):
            with self.subTest(next=value):
                vid = self.add_visit(DISTINCT_NAMES[i], "--next", value)
                self.assertEqual(self.show_visit(vid)["next_due"], due)

    def test_unparseable_dates_are_usage_errors_naming_value_and_forms(self):
        self.add_visit("蓝海科技")
        before = self.db_snapshot()
        cases = [
            ("visit", "add", "蓝海科技", "--outcome", "contact", "--at", "next blursday"),
            ("visit", "add", "蓝海科技", "--outcome", "contact", "--at", "2026-11-26 25:00"),
            ("visit", "add", "蓝海科技", "--outcome", "contact", "--next", "2026-02-30"),
            ("visit", "add", "蓝海科技", "--outcome", "contact", "--next", "+3x"),
            ("visit", "list", "--on", "32/11"),
            ("visit", "list", "--since", "last week"),
            ("visit", "list", "--until", "2026-13-01"),
            ("visit", "search", "纸", "--on", "someday"),
        ]
        for args in cases:
            with self.subTest(args=args):
                code, out, err = self.fb(*args)
                self.assertEqual(code, 2, err)
                self.assertEqual(out, "")
                self.assertIn(f"'{args[-1]}'", err, "the message names the value")
                self.assertIn(args[-2], err, "the message names the option")
                for form in ("today", "yesterday", "+3d", "YYYY-MM-DD"):
                    self.assertIn(form, err, "the message lists the accepted forms")
        self.assertEqual(self.db_snapshot(), before)

    def test_since_after_until_is_a_usage_error(self):
        self.assertUsageError(self.fb("visit", "list", "--since", "today", "--until",
                                      "yesterday"), "--since", "--until")


class ActingAsTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()
        self.add_rep("lina", "李娜")

    def test_as_records_the_rep(self):
        self.fb_ok("--as", "lina", "visit", "add", "蓝海科技", "--outcome", "contact")
        self.fb_ok("visit", "add", "锦城律师事务所", "--outcome", "contact", "--as", "lina")
        self.fb_ok("visit", "add", "华西医疗器械", "--outcome", "contact",
                   env={"FIELDBOOK_USER": "lina"})
        self.fb_ok("visit", "add", "博学教育咨询", "--outcome", "contact")
        reps = {r["customer"]: r["rep"] for r in self.json_rows("visit", "list")}
        self.assertEqual(reps, {"蓝海科技": "lina", "锦城律师事务所": "lina",
                                "华西医疗器械": "lina", "博学教育咨询": "zhangwei"})

    def test_unknown_as_on_a_write_lists_known_handles(self):
        before = self.db_snapshot()
        code, out, err = self.fb("--as", "nobody", "visit", "add", "蓝海科技", "--outcome",
                                 "contact")
        self.assertUsageError((code, out, err), "nobody", "lina", "zhangwei")
        code, out, err = self.fb("visit", "add", "蓝海科技", "--outcome", "contact",
                                 env={"FIELDBOOK_USER": "ghost"})
        self.assertUsageError((code, out, err), "ghost", "lina", "zhangwei")
        self.assertEqual(self.db_snapshot(), before)

    def test_unknown_as_on_a_read_lists_known_handles(self):
        code, out, err = self.fb("--as", "nobody", "visit", "list")
        self.assertUsageError((code, out, err), "nobody", "lina", "zhangwei")


class UnnamedContactTest(FieldbookTestCase):
    """A reception desk's number is a contact without a name."""

    def setUp(self):
        super().setUp()
        self.init_store()

    def contacts(self):
        return self.sql("SELECT name, name_key, role, phone, email FROM contact ORDER BY id")

    def test_a_phone_or_email_without_a_name_is_an_unnamed_contact(self):
        out, err = self.fb_ok("visit", "add", "蓝海数据科技", "--outcome", "contact",
                              "--phone", "028-85551234", "--role", "gatekeeper")
        self.assertIn("reached 028-85551234", err)
        self.assertEqual(self.contacts(), [("", "", "gatekeeper", "028-85551234", None)])
        vid = max(v["id"] for v in self.json_rows("visit", "list"))
        shown = self.show_visit(vid)
        self.assertEqual((shown["contact"], shown["contact_role"], shown["contact_phone"]),
                         ("", "gatekeeper", "028-85551234"))
        # the same number again is the same contact; another number or an email is another
        self.fb_ok("visit", "add", "蓝海数据科技", "--outcome", "absent",
                   "--phone", "028-85551234")
        self.fb_ok("visit", "add", "蓝海数据科技", "--outcome", "absent",
                   "--email", "info@lanhai.example")
        self.assertEqual(self.contacts(),
                         [("", "", "gatekeeper", "028-85551234", None),
                          ("", "", "other", None, "info@lanhai.example")])
        # named contacts are as they were
        self.fb_ok("visit", "add", "蓝海数据科技", "--outcome", "contact", "--contact", "王芳",
                   "--phone", "13800001234")
        self.assertEqual(len(self.contacts()), 3)

    def test_a_role_alone_still_needs_a_name_or_a_number(self):
        code, out, err = self.fb("visit", "add", "蓝海数据科技", "--outcome", "contact",
                                 "--role", "gatekeeper")
        self.assertUsageError((code, out, err), "--contact", "--phone")
        self.assertEqual(self.contacts(), [])


if __name__ == "__main__":
    unittest.main()
