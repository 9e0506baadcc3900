"""`fieldbook import customers|visits FILE`: CSV files (English or Chinese headings, BOM, CRLF,
quoted fields over several lines) imported all or nothing, every problem reported as
FILE:LINE: field: problem, re-imports adding nothing, --dry-run writing nothing, and the CSV
that `customer list` and `visit list` print importing back.

The clock is fixed (FIELDBOOK_NOW, Thursday 2026-11-26 10:00 in Asia/Shanghai). Files are
written into the test's directory, which is the binary's working directory, so problems name
them by their bare file name. What was imported is read back with Python's json and csv
modules and the store with sqlite3.
"""

import json
import os
import subprocess
import sys
import unittest

from fbtest import BIN, FieldbookTestCase, parse_csv

OUTCOME_WORDS = "refused, absent, contact, interest, intent, order"


class ImportCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")

    def write(self, name, content):
        """A file in the test directory; str is written as UTF-8 exactly (no newline change)."""
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(os.path.join(self.tmp, name), "wb") as f:
            f.write(content)
        return name

    def import_(self, kind, name, *args, **kw):
        return self.fb("import", kind, name, *args, **kw)

    def import_ok(self, kind, name, *args, **kw):
        code, out, err = self.import_(kind, name, *args, **kw)
        self.assertEqual(code, 0, f"import {kind} {name} failed:\n{err}")
        self.assertEqual(out, "", "import prints messages on stderr only")
        return err

    def assertProblems(self, result, name, lines):
        """Exit 2, exactly these FILE:LINE: lines on stderr, then the one error line."""
        code, out, err = result
        self.assertEqual(code, 2, f"stderr:\n{err}")
        self.assertEqual(out, "")
        expected = [f"{name}:{line}: {message}" for line, message in lines]
        noun = "problem" if len(lines) == 1 else "problems"
        expected.append(f"fieldbook: error: import: {len(lines)} {noun} in {name}, "
                        "nothing imported")
        self.assertEqual(err.splitlines(), expected)

    def customer(self, name):
        rows = [c for c in self.customers() if c["name"] == name]
        self.assertEqual(len(rows), 1, f"one customer named {name}")
        return rows[0]


class CustomerImportTest(ImportCase):

    def test_english_headings_in_any_order(self):
        name = self.write("leads.csv",
                          "name,building,floor,room,industry,headcount,office_size,brands,"
                          "usage,source,owner,status,notes\n"
                          "蓝海数据科技有限公司,天府软件园B座,12,1203,互联网,85,约600平方米,"
                          "\"得力, 晨光\",A4纸每月40箱,directory,lina,interested,前台姓王\n"
                          "锦程贸易有限公司,环球中心,8,,贸易,,,,,,,,\n")
        err = self.import_ok("customers", name)
        self.assertEqual(err, "imported leads.csv: 2 new customers, 0 already present\n")
        c = self.customer("蓝海数据科技有限公司")
        self.assertEqual(
            {k: c[k] for k in ("building", "floor", "room", "industry", "headcount",
                               "status", "owner", "source")},
            {"building": "天府软件园B座", "floor": "12", "room": "1203", "industry": "互联网",
             "headcount": 85, "status": "interested", "owner": "lina", "source": "directory"})
        shown = self.json_rows("customer", "show", "蓝海数据科技有限公司")[0]
        self.assertEqual((shown["office_size"], shown["brands"], shown["usage"], shown["notes"]),
                         ("约600平方米", "得力, 晨光", "A4纸每月40箱", "前台姓王"))
        c2 = self.customer("锦程贸易有限公司")
        self.assertEqual((c2["room"], c2["headcount"], c2["owner"], c2["source"], c2["status"]),
                         (None, None, None, "sweep", "prospect"))

    def test_chinese_headings_bom_crlf_and_a_cell_over_two_lines(self):
        content = ("\ufeff客户,楼宇,楼层,房间,行业,人数,负责人,来源,状态,备注,联系人,角色,电话\r\n"
                   "蓝海数据科技有限公司,天府软件园B座,12,1203,互联网,８５,zhangwei,名录,有意向,"
                   "\"前台姓王,\r\n周三再来\",王芳,采购,13800001234\r\n"
                   "红星商贸,环球中心,3,301,贸易,12,lina,转介绍,,,,,\r\n")
        name = self.write("线索.csv", content)
        err = self.import_ok("customers", name)
        self.assertEqual(err, "imported 线索.csv: 2 new customers, 0 already present\n")
        c = self.customer("蓝海数据科技有限公司")
        self.assertEqual((c["headcount"], c["owner"], c["source"], c["status"]),
                         (85, "zhangwei", "directory", "interested"))
        shown = self.json_rows("customer", "show", "蓝海数据科技有限公司")[0]
        self.assertEqual(shown["notes"], "前台姓王,\n周三再来")
        contact = self.sql("SELECT ct.name, ct.role, ct.phone FROM contact ct "
                           "JOIN customer c ON c.id = ct.customer_id WHERE c.name = ?",
                           ("蓝海数据科技有限公司",))
        self.assertEqual(contact, [("王芳", "purchaser", "13800001234")])
        self.assertEqual(self.customer("红星商贸")["source"], "referral")

    def test_importing_twice_adds_nothing_and_writes_nothing(self):
        name = self.write("c.csv", "name,building,room\n蓝海科技,天府软件园B座,1203\n"
                                   "红星商贸,环球中心,301\n")
        self.import_ok("customers", name)
        before = self.db_snapshot()
        err = self.import_ok("customers", name)
        self.assertEqual(err, "imported c.csv: 0 new customers, 2 already present\n")
        self.assertEqual(self.db_snapshot(), before)
        self.assertEqual(len(self.customers()), 2)

    def test_a_name_repeated_in_the_file_or_written_differently_is_one_customer(self):
        # NFKC + case folding, as everywhere: full-width ＡＣＭＥ is acme.
        name = self.write("c.csv", "name\nACME 办公\n红星商贸\nＡＣＭＥ 办公\nacme 办公\n")
        err = self.import_ok("customers", name)
        self.assertEqual(err, "imported c.csv: 2 new customers, 2 already present\n")

    def test_dry_run_reports_and_writes_nothing(self):
        self.fb_ok("customer", "add", "红星商贸")
        name = self.write("c.csv", "name\n红星商贸\n蓝海科技\n锦程贸易\n")
        result = self.assertUnchangedBy(lambda: self.import_("customers", name, "--dry-run"),
                                        expect_code=0)
        self.assertEqual(result[2],
                         "dry run: c.csv has 2 new customers, 1 already present; "
                         "nothing written\n")

    def test_dry_run_reports_problems_too(self):
        name = self.write("c.csv", "name,source\n蓝海科技,flyer\n")
        result = self.assertUnchangedBy(lambda: self.import_("customers", name, "--dry-run"))
        self.assertProblems(result, name, [
            (2, "source: 'flyer' is not one of sweep, referral, directory, web, press, other")])

    def test_every_problem_of_every_row_is_reported_and_nothing_written(self):
        self.fb_ok("customer", "add", "锦程贸易有限公司")
        long_notes = "长" * 4001
        content = (
            "name,headcount,source,owner,status,no_solicitation,notes,referred_by,contact,"
            "contact_role,phone\n"
            "蓝海科技,85,sweep,zhangwei,prospect,no,好,,,,\n"            # 2: fine
            ",十二,flyer,wangwu,maybe,perhaps,,,,,\n"                    # 3: six problems
            "\"多行\n名字\",2000000,,,,,,无此客户,,,\n"                  # 4-5: two problems
            f"长备注公司,,,,,,{long_notes},,,purchaser,\n"               # 6: two problems
            "锦程贸易,,,,,,,,,,\n"                                       # 7: looks like 锦程贸易有限公司
            "少一列,1\n"                                                 # 8: too few fields
            "电话公司,,,,,,,,王芳,,12ab\n"                               # 9: phone
        )
        name = self.write("bad.csv", content)
        result = self.assertUnchangedBy(lambda: self.import_("customers", name))
        self.assertProblems(result, name, [
            (3, "name: missing"),
            (3, "headcount: '十二' is not a whole number"),
            (3, "source: 'flyer' is not one of sweep, referral, directory, web, press, other"),
            (3, "status: 'maybe' is not one of prospect, contacted, interested, negotiating, "
                "customer, lost, dormant"),
            (3, "no_solicitation: 'perhaps' is not yes or no (是/否)"),
            (3, "owner: unknown rep 'wangwu' (known: lina, zhangwei)"),
            (4, "headcount: 2000000 is out of range (0 to 1000000)"),
            (4, "referred_by: no customer named '无此客户'"),
            (6, "notes: longer than 4000 characters"),
            (6, "contact_role: describes the contact met; the contact column is empty"),
            (7, "name: '锦程贸易' looks like existing customer #1 锦程贸易有限公司 "
                "(the name differs only in spacing, punctuation, width, case or company form)"),
            (8, "row: 2 fields, the header has 11"),
            (9, "phone: '12ab' has characters a phone number does not"),
        ])

    def test_one_bad_row_keeps_out_every_good_one(self):
        rows = "".join(f"公司{i:02d},{i}\n" for i in range(1, 30))
        name = self.write("c.csv", "name,headcount\n" + rows + "最后一家,-1\n")
        result = self.assertUnchangedBy(lambda: self.import_("customers", name))
        self.assertProblems(result, name, [(31, "headcount: '-1' is not a whole number")])
        self.assertEqual(self.customers(), [])

    def test_invalid_utf8_is_reported_by_field(self):
        name = self.write("c.csv", b"name,notes\n\xe8\x93\x9d\xe6\xb5\xb7,ok\nok,\xff\xfe\n")
        result = self.assertUnchangedBy(lambda: self.import_("customers", name))
        self.assertProblems(result, name, [(3, "notes: not valid UTF-8")])

    def test_a_name_not_utf8_is_one_problem(self):
        name = self.write("c.csv", b"name,industry\n\xff\xfe,x\n")
        self.assertProblems(self.import_("customers", name), name,
                            [(2, "name: not valid UTF-8")])

    def test_lines_ending_in_cr_only_are_named(self):
        name = self.write("mac.csv", "name,industry\r蓝海科技,互联网\r红星商贸,贸易\r")
        self.assertProblems(self.assertUnchangedBy(lambda: self.import_("customers", name)),
                            name, [(1, "the file's lines end in CR only (old Mac format); "
                                       "save it with LF or CRLF line endings")])

    def test_malformed_quoting_is_reported_on_its_line(self):
        name = self.write("c.csv", "name,notes\n甲,ok\n乙,\"open\nstill open\n")
        result = self.assertUnchangedBy(lambda: self.import_("customers", name))
        self.assertProblems(result, name, [(3, "csv: quoted field not closed")])
        name = self.write("d.csv", "name,notes\n甲,12\"屏\n")
        self.assertProblems(self.import_("customers", name), name, [
            (2, "csv: quote inside an unquoted field (a field holding quotes is itself "
                "quoted, \"like \"\"this\"\"\")")])

    def test_headings_unknown_doubled_or_missing(self):
        name = self.write("c.csv", "Name,buildng,colour,客户\n甲,a,b,c\n")
        self.assertProblems(self.import_("customers", name), name, [
            (1, "buildng: unknown column (did you mean building?)"),
            (1, "colour: unknown column (see fieldbook-import(1))"),
            (1, "客户: the same column as Name (name)"),
        ])
        name = self.write("d.csv", "楼宇,楼层\nA座,3\n")
        self.assertProblems(self.import_("customers", name), name,
                            [(1, "name: missing column (required)")])

    def test_headings_match_across_case_width_and_separators(self):
        name = self.write("c.csv", "NAME,Office Size,office-size\n甲,1,2\n")
        self.assertProblems(self.import_("customers", name), name, [
            (1, "office-size: the same column as Office Size (office_size)")])
        name = self.write("d.csv", "ＮＡＭＥ,Office Size,No-Solicitation\n甲,约100平方米,是\n")
        self.import_ok("customers", name)
        shown = self.json_rows("customer", "show", "甲")[0]
        self.assertEqual((shown["office_size"], shown["no_solicitation"]), ("约100平方米", "yes"))

    def test_blank_rows_and_trailing_empty_fields_are_skipped(self):
        name = self.write("c.csv", "name,industry\n\n甲,贸易,,\n , \n乙,\n")
        err = self.import_ok("customers", name)
        self.assertEqual(err, "imported c.csv: 2 new customers, 0 already present\n")

    def test_columns_without_heading_must_stay_empty(self):
        name = self.write("c.csv", "name,industry,,\n甲,贸易,,\n乙,,,\n")
        err = self.import_ok("customers", name)
        self.assertEqual(err, "imported c.csv: 2 new customers, 0 already present\n")
        name = self.write("d.csv", "name,industry,,\n丙,贸易,,\n丁,,,x\n")
        self.assertProblems(self.import_("customers", name), name,
                            [(3, "row: a value in column 4, which has no heading")])

    def test_empty_file_and_missing_file(self):
        name = self.write("empty.csv", "")
        self.assertProblems(self.import_("customers", name), name,
                            [(1, "header: the file is empty")])
        code, out, err = self.import_("customers", "nosuch.csv")
        self.assertEqual(code, 1)
        self.assertEqual(err, "fieldbook: error: import: cannot read nosuch.csv: "
                              "No such file or directory\n")
        os.mkdir(os.path.join(self.tmp, "dir.csv"))
        code, out, err = self.import_("customers", "dir.csv")
        self.assertEqual(code, 1)
        self.assertEqual(err, "fieldbook: error: import: cannot read dir.csv: Is a directory\n")

    def test_stdin(self):
        err = self.import_ok("customers", "-", input="name,行业\n蓝海科技,互联网\n")
        self.assertEqual(err, "imported stdin: 1 new customer, 0 already present\n")
        self.assertProblems(self.import_("customers", "-", input="name,人数\n甲,x\n"), "stdin",
                            [(2, "headcount: 'x' is not a whole number")])

    def test_customer_list_csv_imports_back(self):
        # lina's customer: hers to add (zhangwei, a rep, may not make records in her name)
        self.fb_ok("--as", "lina", "customer", "add", "蓝海数据科技有限公司", "--building",
                   "天府软件园B座", "--floor", "12", "--room", "1203", "--industry", "互联网",
                   "--headcount", "85", "--owner", "lina", "--source", "web")
        self.fb_ok("customer", "add", "红星商贸, \"老店\"", "--building", "环球中心")
        self.add_visit("锦程贸易", outcome="interest")
        exported = self.fb_ok("customer", "list", "--format", "csv")[0]
        name = self.write("customers.csv", exported)
        # Into the same store: everything is there already.
        err = self.import_ok("customers", name)
        skipped = ("customers.csv: skipped derived columns (an export's ids and computed "
                   "values): id, visits, last_visit, best_outcome\n")
        self.assertEqual(err, skipped + "imported customers.csv: 0 new customers, "
                                        "3 already present\n")
        # Into another store with the same team: the same customers.
        keep = ("name", "building", "floor", "room", "industry", "headcount", "status", "owner",
                "source")
        before = [{k: c[k] for k in keep} for c in self.customers()]
        self.env["FIELDBOOK_DB"] = os.path.join(self.tmp, "other.db")
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")
        err = self.import_ok("customers", name)
        self.assertEqual(err, skipped + "imported customers.csv: 3 new customers, "
                                        "0 already present\n")
        self.assertEqual([{k: c[k] for k in keep} for c in self.customers()], before)


class VisitImportTest(ImportCase):

    def visits(self):
        return self.json_rows("visit", "list")

    def test_chinese_headings_create_customers_follow_ups_and_search(self):
        content = ("客户,日期,时间,业务员,结果,联系人,角色,楼宇,房间,下次跟进,备注\n"
                   "蓝海数据科技有限公司,2026/11/24,9:30,lina,有兴趣,王芳,采购,天府软件园B座,"
                   "1203,2026-12-01,想要A4纸报价\n"
                   "蓝海数据科技有限公司,2026-11-25,14:00,zhangwei,意向,王芳,采购,,,,带了样品\n"
                   "红星商贸,2026-11-25,,,不在,,,环球中心,301,,\n")
        name = self.write("v.csv", content)
        err = self.import_ok("visits", name)
        self.assertEqual(err, "imported v.csv: 3 new visits (2 new customers), "
                              "0 already present\n")
        rows = sorted(self.visits(), key=lambda v: (v["day"], v["time"]))
        self.assertEqual(
            [(v["day"], v["time"], v["rep"], v["customer"], v["outcome"], v["kind"],
              v["contact"], v["next_due"]) for v in rows],
            [("2026-11-24", "09:30", "lina", "蓝海数据科技有限公司", "interest", "initial",
              "王芳", "2026-12-01"),
             ("2026-11-25", "00:00", "zhangwei", "红星商贸", "absent", "initial", None, None),
             ("2026-11-25", "14:00", "zhangwei", "蓝海数据科技有限公司", "intent", "revisit",
              "王芳", None)])
        blue = self.customer("蓝海数据科技有限公司")
        self.assertEqual((blue["status"], blue["owner"], blue["building"], blue["room"]),
                         ("negotiating", "lina", "天府软件园B座", "1203"))
        self.assertEqual(self.customer("红星商贸")["owner"], "zhangwei")
        found = self.json_rows("visit", "search", "报价")
        self.assertEqual([v["customer"] for v in found], ["蓝海数据科技有限公司"])
        self.assertEqual(self.sql("SELECT due_day, channel, state FROM followup"),
                         [("2026-12-01", "phone", "open")])

    def test_importing_twice_adds_nothing_and_rows_of_a_file_are_all_visits(self):
        # Rows of one file are never the same visit: two calls logged in one minute, or two
        # visits of a day without times (both at midnight), are each a visit.
        name = self.write("v.csv", "customer,date,outcome\n蓝海科技,2026-11-20 10:15,contact\n"
                                   "蓝海科技,2026-11-20 10:15,contact\n"
                                   "蓝海科技,2026-11-21 10:15,interest\n")
        err = self.import_ok("visits", name)
        self.assertEqual(err, "imported v.csv: 3 new visits (1 new customer), "
                              "0 already present\n")
        before = self.db_snapshot()
        err = self.import_ok("visits", name)
        self.assertEqual(err, "imported v.csv: 0 new visits, 3 already present\n")
        self.assertEqual(self.db_snapshot(), before)

    def test_a_morning_and_an_afternoon_visit_with_only_a_date(self):
        name = self.write("v.csv", "客户,日期,结果,备注\n甲公司,2026-11-20,contact,上午见到前台\n"
                                   "甲公司,2026-11-20,interest,下午电话，采购有兴趣\n")
        err = self.import_ok("visits", name)
        self.assertEqual(err, "imported v.csv: 2 new visits (1 new customer), "
                              "0 already present\n")
        self.assertEqual(sorted(v["note"] for v in self.visits()),
                         ["上午见到前台", "下午电话，采购有兴趣"])
        before = self.db_snapshot()
        err = self.import_ok("visits", name)
        self.assertEqual(err, "imported v.csv: 0 new visits, 2 already present\n")
        self.assertEqual(self.db_snapshot(), before)

    def test_report_visits_csv_imports_back(self):
        demo = os.path.join(self.tmp, "demo.db")
        self.fb_ok("--db", demo, "demo")
        exported = self.fb_ok("--db", demo, "report", "visits", "--format", "csv")[0]
        exported_rows = parse_csv(exported)
        self.assertGreater(len(exported_rows), 10)
        name = self.write("report.csv", exported)
        # Into the demo store itself: every visit is there already.
        err = self.import_ok("visits", name, env={"FIELDBOOK_DB": demo})
        skipped = ("report.csv: skipped derived columns (an export's ids and computed values): "
                   "id, uuid, customer_id\n")
        self.assertEqual(err, skipped + f"imported report.csv: 0 new visits, "
                                        f"{len(exported_rows)} already present\n")
        # Into a fresh store with the same team: the same visits, at the same instants.
        reps = self.json_rows("--db", demo, "rep", "list", "--all")
        self.env["FIELDBOOK_DB"] = os.path.join(self.tmp, "fresh.db")
        self.init_store(reps[0]["handle"], reps[0]["name"])
        for rep in reps[1:]:
            self.add_rep(rep["handle"], rep["name"])
        err = self.import_ok("visits", name)
        self.assertTrue(err.startswith(skipped))
        self.assertRegex(err[len(skipped):], rf"^imported report\.csv: {len(exported_rows)} new visits "
                              r"\(\d+ new customers\), 0 already present\n$")
        keep = ("day", "time", "rep", "customer", "kind", "outcome", "contact", "note",
                "at_utc")
        again = parse_csv(self.fb_ok("report", "visits", "--format", "csv")[0])
        self.assertEqual(sorted(tuple(v[k] for k in keep) for v in again),
                         sorted(tuple(v[k] for k in keep) for v in exported_rows))
        before = self.db_snapshot()
        err = self.import_ok("visits", name)
        self.assertEqual(err, skipped + f"imported report.csv: 0 new visits, "
                                        f"{len(exported_rows)} already present\n")
        self.assertEqual(self.db_snapshot(), before)

    def test_dry_run_counts_new_customers_and_writes_nothing(self):
        self.add_visit("红星商贸", "--at", "2026-11-25 09:00")
        name = self.write("v.csv", "customer,date,outcome\n红星商贸,2026-11-25 09:00,contact\n"
                                   "蓝海科技,2026-11-25,refused\n")
        result = self.assertUnchangedBy(lambda: self.import_("visits", name, "--dry-run"),
                                        expect_code=0)
        self.assertEqual(result[2], "dry run: v.csv has 1 new visit (1 new customer), "
                                    "1 already present; nothing written\n")

    def test_every_problem_is_reported_with_its_line(self):
        self.fb_ok("customer", "add", "锦程贸易有限公司", "--building", "环球中心")
        content = (
            "customer,date,time,rep,outcome,kind,contact,card,next,next_channel,script\n"
            "甲公司,2026-11-25,10:00,lina,maybe,,,,,,\n"                    # 2
            "乙公司,2026-11-27,,,contact,,,,,,\n"                            # 3 future
            "丙公司,today,,wangwu,contact,,,,,,\n"                           # 4 two
            ",2026-11-25 10:00,09:00,,,visit,,,,,\n"                         # 5 five
            "丁公司,2026-11-25,,,contact,,,yes,,email,\n"                    # 6 two
            "戊公司,2026-11-25,,,contact,,王芳,maybe,2026-11-24,,\n"         # 7 two
            "\"己\n公司\",2026-11-25,,,contact,,,,,,no-such-script\n"        # 8-9
            "锦程贸易,2026-11-25,,,contact,,,,,,\n"                          # 10 lookalike
            "庚公司,2026-13-01,,,contact,,,,26/11/2026,,\n"                  # 11 two
        )
        name = self.write("v.csv", content)
        result = self.assertUnchangedBy(lambda: self.import_("visits", name))
        self.assertProblems(result, name, [
            (2, f"outcome: 'maybe' is not one of {OUTCOME_WORDS}"),
            (3, "date: 2026-11-27 is in the future"),
            (4, "rep: unknown rep 'wangwu' (known: lina, zhangwei)"),
            (4, "date: cannot read 'today' as a date (YYYY-MM-DD or YYYY/MM/DD, optionally "
                "with HH:MM)"),
            (5, "customer: missing"),
            (5, "outcome: missing"),
            (5, "time: the date column already has a time"),
            (5, "kind: 'visit' is not one of initial, revisit, phone, email, negotiation, "
                "after-sales"),
            (6, "card: describes the contact met; the contact column is empty"),
            (6, "next_channel: needs a next day in the next column"),
            (7, "card: 'maybe' is not yes or no (是/否)"),
            (7, "next: 2026-11-24 is before the visit (2026-11-25)"),
            (8, "script: no script named 'no-such-script' (known: first-visit, revisit, "
                "referral, phone-follow-up, first-visit-en, phone-follow-up-en)"),
            (10, "customer: '锦程贸易' looks like existing customer #1 锦程贸易有限公司 "
                 "(the name differs only in spacing, punctuation, width, case or company form)"),
            (11, "date: cannot read '2026-13-01' as a date (YYYY-MM-DD or YYYY/MM/DD, "
                 "optionally with HH:MM)"),
            (11, "next: cannot read '26/11/2026' as a date (YYYY-MM-DD or YYYY/MM/DD)"),
        ])

    def test_visit_list_csv_imports_back(self):
        self.add_visit("蓝海数据科技有限公司", "--building", "天府软件园B座", "--floor", "12",
                       "--room", "1203", "--contact", "王芳", "--role", "purchaser",
                       "--note", "要报价, \"急\"\n下周再谈", "--at", "2026-11-24 09:31",
                       "--next", "2026-11-30", outcome="interest")
        self.add_visit("蓝海数据科技有限公司", "--at", "2026-11-25 15:02", outcome="intent",
                       env={"FIELDBOOK_USER": "lina"})
        self.add_visit("红星商贸", outcome="refused")   # now: 10:00 today
        exported = self.fb_ok("visit", "list", "--format", "csv")[0]
        name = self.write("visits.csv", exported)
        err = self.import_ok("visits", name)
        skipped = ("visits.csv: skipped derived columns (an export's ids and computed values): "
                   "id\n")
        self.assertEqual(err, skipped + "imported visits.csv: 0 new visits, 3 already present\n")

        keep = ("day", "time", "rep", "customer", "building", "floor", "room", "contact",
                "contact_role", "kind", "outcome", "next_due", "note")
        before = [{k: v[k] for k in keep} for v in parse_csv(exported)]
        self.env["FIELDBOOK_DB"] = os.path.join(self.tmp, "other.db")
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")
        err = self.import_ok("visits", name)
        self.assertEqual(err, skipped + "imported visits.csv: 3 new visits (2 new customers), "
                                        "0 already present\n")
        after = self.fb_ok("visit", "list", "--format", "csv")[0]
        self.assertEqual([{k: v[k] for k in keep} for v in parse_csv(after)], before)

    def test_new_creates_look_alike_customers(self):
        self.fb_ok("customer", "add", "锦程贸易有限公司", "--building", "环球中心")
        name = self.write("v.csv", "customer,date,outcome\n锦程贸易,2026-11-20,contact\n"
                                   "锦程贸易有限公司,2026-11-21,interest\n")
        self.assertProblems(self.import_("visits", name), name, [
            (2, "customer: '锦程贸易' looks like existing customer #1 锦程贸易有限公司 "
                "(the name differs only in spacing, punctuation, width, case or company form)")])
        err = self.import_ok("visits", name, "--new")
        self.assertEqual(err, "imported v.csv: 2 new visits (1 new customer), "
                              "0 already present\n")
        self.assertEqual(sorted(c["name"] for c in self.customers()),
                         ["锦程贸易", "锦程贸易有限公司"])
        name = self.write("c.csv", "name\n锦程贸易 有限公司\n锦程贸易\n红星商贸\n")
        err = self.import_ok("customers", name, "--new")
        self.assertEqual(err, "imported c.csv: 2 new customers, 1 already present\n")

    def test_dates_outside_2000_to_2099_are_refused(self):
        name = self.write("v.csv", "customer,date,outcome,next\n甲公司,0000-01-01,contact,\n"
                                   "乙公司,2026-11-20,contact,1900-01-01\n"
                                   "丙公司,2026-11-20,contact,9999-12-31\n")
        self.assertProblems(self.assertUnchangedBy(lambda: self.import_("visits", name)), name, [
            (2, "date: 0000-01-01 is outside 2000-01-01 to 2099-12-31"),
            (3, "next: 1900-01-01 is outside 2000-01-01 to 2099-12-31"),
            (4, "next: 9999-12-31 is outside 2000-01-01 to 2099-12-31")])

    def test_acting_rep_is_the_default(self):
        name = self.write("v.csv", "customer,date,outcome\n蓝海科技,2026-11-25 11:00,contact\n")
        self.import_ok("visits", name, env={"FIELDBOOK_USER": "lina"})
        self.assertEqual([v["rep"] for v in self.visits()], ["lina"])

    def test_required_visit_columns(self):
        name = self.write("v.csv", "客户,结果,outcom\n甲,接触,x\n")
        self.assertProblems(self.import_("visits", name), name, [
            (1, "outcom: unknown column (did you mean outcome?)"),
            (1, "date: missing column (required)"),
        ])


class ExportRoundTripTest(ImportCase):
    """What `report customers` and `report visits` print for scripts imports into another
    store: derived columns are skipped with one notice, unknown columns are still errors."""

    REPORT_KEEP = ("name", "building", "floor", "room", "industry", "headcount", "office_size",
                   "brands", "usage", "source", "referred_by", "owner", "status",
                   "no_solicitation")
    VISIT_KEEP = ("day", "time", "rep", "customer", "building", "floor", "room", "kind",
                  "outcome", "contact", "contact_role", "phone", "email", "card", "headcount",
                  "office_size", "brands", "usage", "note", "went_well", "improve",
                  "tool_feedback", "next_due", "next_channel", "at_utc")

    def test_customers_and_visits_from_store_a_import_into_store_b(self):
        # Store A: the referrer sorts after the customer it referred (a name's order in the
        # report), a customer with orders, one that does not want salesmen.
        self.fb_ok("customer", "add", "新华书店", "--building", "环球中心", "--floor", "3",
                   "--room", "301", "--industry", "零售", "--headcount", "20",
                   "--office-size", "约200平方米", "--brands", "得力", "--usage", "A4纸每月5箱",
                   "--owner", "lina", "--source", "web", "--as", "lina")
        self.fb_ok("customer", "add", "阿里云代理商", "--referred-by", "新华书店",
                   "--no-solicitation")
        self.add_visit("新华书店", "--contact", "王芳", "--role", "purchaser", "--phone",
                       "13800001234", "--email", "wf@example.cn", "--card", "--headcount", "25",
                       "--note", "要报价, \"急\"\n下周再谈", "--went-well", "开场顺利",
                       "--at", "2026-11-24 09:31", "--next", "2026-11-30", outcome="interest")
        self.add_visit("阿里云代理商", "--at", "2026-11-25 15:02:41", outcome="absent",
                       env={"FIELDBOOK_USER": "lina"})
        self.fb_ok("order", "add", "新华书店", "--amount", "1,280.50", "--prepaid", "280")
        customers_csv = self.fb_ok("report", "customers", "--format", "csv")[0]
        visits_csv = self.fb_ok("report", "visits", "--format", "csv")[0]
        a_customers = parse_csv(customers_csv)
        a_visits = parse_csv(visits_csv)
        self.assertEqual(len(a_customers), 2)
        self.assertEqual(len(a_visits), 2)

        self.env["FIELDBOOK_DB"] = os.path.join(self.tmp, "b.db")
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")
        err = self.import_ok("customers", self.write("customers.csv", customers_csv))
        self.assertEqual(err, "customers.csv: skipped derived columns (an export's ids and "
                              "computed values): id, visits, first_visit, last_visit, orders, "
                              "revenue, paid, outstanding\n"
                              "imported customers.csv: 2 new customers, 0 already present\n")
        err = self.import_ok("visits", self.write("visits.csv", visits_csv))
        self.assertEqual(err, "visits.csv: skipped derived columns (an export's ids and "
                              "computed values): id, uuid, customer_id\n"
                              "imported visits.csv: 2 new visits, 0 already present\n")
        b_customers = parse_csv(self.fb_ok("report", "customers", "--format", "csv")[0])
        b_visits = parse_csv(self.fb_ok("report", "visits", "--format", "csv")[0])
        self.assertEqual([{k: c[k] for k in self.REPORT_KEEP} for c in b_customers],
                         [{k: c[k] for k in self.REPORT_KEEP} for c in a_customers])
        self.assertEqual(sorted(tuple(v[k] for k in self.VISIT_KEEP) for v in b_visits),
                         sorted(tuple(v[k] for k in self.VISIT_KEEP) for v in a_visits))
        # Visits, first and last visit come from the visits imported; orders are not exported.
        self.assertEqual([(c["name"], c["visits"], c["first_visit"], c["orders"])
                          for c in b_customers],
                         [("新华书店", "1", "2026-11-24", "0"), ("阿里云代理商", "1", "2026-11-25", "0")])

    def test_a_truly_unknown_column_is_still_an_error(self):
        name = self.write("c.csv", "id,name,revenu,turnover\n1,蓝海科技,100,5\n")
        self.assertProblems(self.assertUnchangedBy(lambda: self.import_("customers", name)), name, [
            (1, "revenu: unknown column (see fieldbook-import(1))"),
            (1, "turnover: unknown column (see fieldbook-import(1))")])


class HostileFileTest(ImportCase):
    """A file built to hurt: memory stays flat, problems are capped, nothing is written."""

    def run_measured(self, *args):
        """Runs fieldbook from a fresh Python child, so that RUSAGE_CHILDREN there holds this
        run alone. Returns (exit code, stderr, seconds, peak RSS in MiB)."""
        script = (
            "import json, resource, subprocess, sys, time\n"
            "start = time.monotonic()\n"
            "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.PIPE)\n"
            "seconds = time.monotonic() - start\n"
            "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "json.dump([p.returncode, p.stderr.decode('utf-8', 'replace'), seconds, rss], "
            "sys.stdout)\n")
        # AddressSanitizer keeps freed memory in quarantine; without it, a sanitizer build's
        # peak shows what the program holds, which is what is measured here.
        env = self.make_env()
        env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                     "quarantine_size_mb=0"]))
        proc = subprocess.run([sys.executable, "-c", script, BIN, *args], capture_output=True,
                              env=env, cwd=self.tmp, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        code, err, seconds, rss_kib = json.loads(proc.stdout)
        return code, err, seconds, rss_kib / 1024

    def write_huge_field(self, name, megabytes, quoted=False):
        path = os.path.join(self.tmp, name)
        chunk = b"x" * (1 << 20)
        with open(path, "wb") as f:
            f.write("name,notes\n蓝海科技,ok\n红星商贸,".encode())
            if quoted:
                f.write(b'"')
            for _ in range(megabytes):
                f.write(chunk)
            f.write(b'"\n' if quoted else b"\n")
        return name

    def test_a_100_mb_field_is_refused_at_its_line_in_flat_memory(self):
        # The baseline is the same binary refusing a 1 MB field: sanitizer builds start far
        # above a Release build, so only the growth between the two is the program's own.
        for quoted in (False, True):
            with self.subTest(quoted=quoted):
                small = self.write_huge_field("small.csv", 1, quoted)
                code, _, _, baseline_mib = self.run_measured("import", "customers", small)
                self.assertEqual(code, 2)
                name = self.write_huge_field("big.csv", 100, quoted)
                before = self.db_snapshot()
                code, err, seconds, rss_mib = self.run_measured("import", "customers", name)
                self.assertEqual(code, 2, err)
                self.assertEqual(err.splitlines(), [
                    "big.csv:3: notes: field too long (more than 65536 bytes)",
                    "fieldbook: error: import: 1 problem in big.csv, nothing imported"])
                self.assertEqual(self.db_snapshot(), before)
                self.assertLess(rss_mib - baseline_mib, 16,
                                "peak memory must not grow with the field")
                print(f"fault: import of a 100 MB {'quoted ' if quoted else ''}field -> exit 2 "
                      f"in {seconds:.2f} s, peak RSS {rss_mib:.1f} MiB "
                      f"(1 MB field: {baseline_mib:.1f} MiB)", file=sys.stderr)

    def test_a_record_too_long_or_too_wide_is_refused_at_its_line(self):
        wide = "name\n甲\n" + ",".join(["x"] * 1001) + "\n"
        self.assertProblems(self.import_("customers", self.write("wide.csv", wide)), "wide.csv",
                            [(3, "record has more than 1000 fields")])
        long = "name,notes\n" + ",".join(["乙", "y" * 60000] + ["z" * 60000] * 17) + "\n"
        self.assertProblems(self.import_("customers", self.write("long.csv", long)), "long.csv",
                            [(2, "record too long (more than 1048576 bytes)")])
        self.assertEqual(self.customers(), [])

    def test_only_the_first_100_problems_are_printed_then_the_count(self):
        rows = "".join(f"公司{i},2026-11-20,maybe\n" for i in range(2500))
        name = self.write("v.csv", "customer,date,outcome\n" + rows)
        code, out, err = self.assertUnchangedBy(lambda: self.import_("visits", name))
        lines = err.splitlines()
        self.assertEqual(len(lines), 102)
        self.assertEqual(lines[0], f"v.csv:2: outcome: 'maybe' is not one of {OUTCOME_WORDS}")
        self.assertEqual(lines[99], f"v.csv:101: outcome: 'maybe' is not one of {OUTCOME_WORDS}")
        self.assertEqual(lines[100], "v.csv: ... and 2400 more problems")
        self.assertEqual(lines[101],
                         "fieldbook: error: import: 2500 problems in v.csv, nothing imported")

    def test_at_utc_contradicting_date_or_time_is_refused(self):
        name = self.write("v.csv", "customer,day,time,outcome,at_utc\n"
                                   "甲公司,2026-11-20,09:30,contact,2026-11-20T01:30:00Z\n"
                                   "乙公司,2026-11-19,09:30,contact,2026-11-20T01:30:00Z\n"
                                   "丙公司,2026-11-20,10:30,contact,2026-11-20T01:30:00Z\n")
        self.assertProblems(self.assertUnchangedBy(lambda: self.import_("visits", name)), name, [
            (3, "date: '2026-11-19' contradicts at_utc 2026-11-20T01:30:00Z, which is "
                "2026-11-20 09:30 here"),
            (4, "time: '10:30' contradicts at_utc 2026-11-20T01:30:00Z, which is "
                "2026-11-20 09:30 here")])

    def test_a_cr_alone_bidi_or_invisible_character_in_a_cell_is_refused_by_field(self):
        name = self.write("c.csv", "name,notes,brands\r\n"
                                   "甲公司,\"行一\r行二\",ok\r\n"
                                   "乙公司,ok,得力\u202e力得\r\n"
                                   "丙\u200b公司,ok,ok\r\n"
                                   "丁公司,\"行一\r\n行二\",\r\n")
        self.assertProblems(self.assertUnchangedBy(lambda: self.import_("customers", name)), name, [
            (2, "notes: character 3 is U+000D, a carriage return not followed by a line feed"),
            (3, "brands: character 3 is U+202E, a bidirectional control (it can show text in "
                "another order than stored)"),
            (4, "name: character 2 is U+200B, an invisible formatting character")])


if __name__ == "__main__":
    unittest.main()
