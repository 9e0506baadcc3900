"""`report`: every report on one fixture built with the ordinary commands, on a fixed clock.

The fixture (today is Thursday 2026-11-26) is a small sweep of 天府软件园B座 by zhangwei (2–13
November) and lina (16–20 November), quotas set in the meetings of 3, 16 and 17 November, and
ten orders placed long ago whose due days sit on the aging boundaries. Every expectation below
is computed by hand from that story, in the comments next to it; none comes from the program.
"""

import atexit
import json
import re
import shutil
import tempfile
import unittest

from fbtest import FieldbookTestCase, parse_csv

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\b")
B = "天府软件园B座"
G = "环球中心"

# (day, time, rep, customer, floor, room, outcome, script, extra args)
VISITS = [
    ("2026-11-02", "10:00", "zhangwei", "甲科技", "12", "1201", "contact", "first-visit", []),
    ("2026-11-03", "09:30", "zhangwei", "乙贸易", "12", "1203", "contact", "first-visit", []),
    ("2026-11-03", "10:30", "zhangwei", "丙律所", "12", "1208", "refused", "first-visit", []),
    ("2026-11-04", "09:00", "zhangwei", "乙贸易", None, None, "interest", "phone-follow-up", []),
    ("2026-11-04", "14:00", "zhangwei", "丁教育", "15", "1501", "absent", "first-visit", []),
    ("2026-11-05", "10:00", "zhangwei", "甲科技", None, None, "interest", "revisit", []),
    ("2026-11-06", "10:00", "zhangwei", "丁教育", None, None, "contact", "revisit", []),
    ("2026-11-09", "10:00", "zhangwei", "甲科技", None, None, "intent", None, []),
    ("2026-11-10", "10:00", "zhangwei", "乙贸易", None, None, "intent", None,
     ["--next", "2026-11-13"]),
    ("2026-11-13", "10:00", "zhangwei", "丁教育", None, None, "interest", None, []),
    ("2026-11-16", "10:00", "lina", "戊传媒", "15", "1502", "contact", "first-visit",
     ["--next", "2026-11-23", "--next-channel", "email"]),
    ("2026-11-17", "10:00", "lina", "己设计", "16", "1601", "contact", "first-visit", []),
    ("2026-11-18", "10:00", "lina", "己设计", None, None, "interest", None, []),
    ("2026-11-19", "10:00", "lina", "己设计", None, None, "intent", "revisit", []),
    ("2026-11-20", "10:00", "lina", "己设计", None, None, "order", "revisit", []),
]

# (customer, order day, due day, amount, prepaid, payments [(day, amount)]) against today
# 2026-11-26: days past due, bucket.
RECEIVABLES = [
    ("零天商贸", "2026-10-15", "2026-11-26", "100", None, []),            # 0: 0-30
    ("三十天商贸", "2026-10-01", "2026-10-27", "200", "50", []),          # 30: 0-30, owes 150
    ("三十一天商贸", "2026-10-01", "2026-10-26", "300", None, []),        # 31: 31-60
    ("六十天商贸", "2026-09-01", "2026-09-27", "400", None, []),          # 60: 31-60
    ("六十一天商贸", "2026-09-01", "2026-09-26", "500", None, []),        # 61: 61-90
    ("九十天商贸", "2026-08-01", "2026-08-28", "600", None, []),          # 90: 61-90
    ("九十一天商贸", "2026-08-01", "2026-08-27", "700", None,
     [("2026-09-15", "200")]),                                           # 91: 90+, owes 500
    ("未到期商贸", "2026-10-30", "2026-12-10", "800", None, []),          # -14: current
    ("无账期商贸", "2026-11-01", None, "900", None, []),                  # 25 since the order
    ("已付清商贸", "2026-08-01", "2026-08-20", "1000", "1000", []),       # paid: not listed
]


def at(day, hour="18:00"):
    return {"FIELDBOOK_NOW": f"{day}T{hour}:00+08:00"}


class ReportCase(FieldbookTestCase):
    """Every report test reads the same fixture: it is built by the commands below once, and
    each test gets its own copy of the files (a sanitizer build runs them slowly)."""

    _built = None  # a directory holding the files of the fixture as built

    def setUp(self):
        super().setUp()
        if ReportCase._built is None:
            self.build_fixture()
            ReportCase._built = tempfile.mkdtemp(prefix="fbreport-")
            atexit.register(shutil.rmtree, ReportCase._built, True)
            shutil.copytree(self.tmp, ReportCase._built, dirs_exist_ok=True)
        else:
            shutil.copytree(ReportCase._built, self.tmp, dirs_exist_ok=True)

    def build_fixture(self):
        self.init_store("zhangwei", "张伟")
        # The follow-ups counted here are the visits' and the collections'; the after-sales
        # checks orders plan are tested in test_money.
        self.write_config("after_sales_days = 0\n")
        self.add_rep("lina", "李娜")
        self.add_rep("liujianguo", "刘建国", role="manager")
        # Quotas are set for the coming day, so the clock is set to each meeting's day.
        for day, rep, visits in [("2026-11-03", "zhangwei", "4"), ("2026-11-16", "lina", "3"),
                                 ("2026-11-17", "lina", "2")]:
            self.fb_ok("--as", "liujianguo", "meeting", "plan", "--rep", rep, "--visits", visits,
                       "--for", day, env=at(day, "08:00"))
        for day, time, rep, customer, floor, room, outcome, script, extra in VISITS:
            args = ["--as", rep, "visit", "add", customer, "--outcome", outcome,
                    "--at", f"{day} {time}"]
            if floor:
                args += ["--building", B, "--floor", floor, "--room", room]
            if script:
                args += ["--script", script]
            self.fb_ok(*args, *extra, env=at(day))
        self.fb_ok("order", "add", "甲科技", "--amount", "1000", "--on", "2026-11-12")
        self.fb_ok("customer", "add", "辛公司", "--building", B, "--floor", "15", "--room", "1508",
                   "--new")
        self.fb_ok("customer", "add", "庚公司", "--building", B, "--floor", "16", "--room", "1605",
                   "--no-solicitation", "--new")
        self.fb_ok("customer", "add", "壬物流", "--building", G, "--floor", "3", "--room", "301",
                   "--new")
        for name, day, due, amount, prepaid, payments in RECEIVABLES:
            self.fb_ok("customer", "add", name, "--new")
            args = ["order", "add", name, "--amount", amount, "--on", day]
            if due:
                args += ["--due", due]
            if prepaid:
                args += ["--prepaid", prepaid]
            self.fb_ok(*args)
            order_id = self.json_rows("order", "list", "--customer", name)[0]["id"]
            for pay_day, pay_amount in payments:
                self.fb_ok("order", "pay", str(order_id), "--amount", pay_amount, "--on", pay_day)

    def report(self, name, *args, fmt="json"):
        out, err = self.fb_ok("report", name, *args, "--format", fmt)
        if fmt == "json":
            data = json.loads(out)
            self.assertIsInstance(data, list)
            return data
        return parse_csv(out)

    def table(self, name, *args):
        out, err = self.fb_ok("report", name, *args, env={"COLUMNS": "200"})
        return out, err


class VisitsReportTest(ReportCase):

    def test_every_field_oldest_first(self):
        rows = self.report("visits")
        self.assertEqual(len(rows), len(VISITS))
        self.assertEqual([(r["day"], r["time"], r["customer"], r["outcome"]) for r in rows],
                         [(v[0], v[1], v[3], v[6]) for v in VISITS])
        first = rows[0]
        self.assertEqual(list(first), [
            "id", "uuid", "day", "time", "rep", "customer", "customer_id", "building", "floor",
            "room", "kind", "outcome", "contact", "contact_role", "phone", "email", "card",
            "headcount", "office_size", "brands", "usage", "note", "went_well", "improve",
            "tool_feedback", "script", "next_due", "next_channel", "at_utc"])
        self.assertEqual((first["rep"], first["building"], first["floor"], first["room"]),
                         ("zhangwei", B, "12", "1201"))
        self.assertEqual(first["kind"], "initial")
        self.assertEqual(first["script"], "first-visit")
        self.assertEqual(first["at_utc"], "2026-11-02T02:00:00Z", "10:00 in Shanghai")
        self.assertEqual(rows[5]["kind"], "revisit", "甲科技's second visit")
        ten = rows[8]
        self.assertEqual((ten["customer"], ten["next_due"], ten["next_channel"]),
                         ("乙贸易", "2026-11-13", "phone"))

    def test_csv_has_the_same_rows(self):
        as_json = self.report("visits")
        as_csv = self.report("visits", fmt="csv")
        self.assertEqual(len(as_csv), len(as_json))
        self.assertEqual([r["uuid"] for r in as_csv], [r["uuid"] for r in as_json])
        self.assertEqual(as_csv[10]["next_channel"], "email")

    def test_rep_and_period(self):
        rows = self.report("visits", "--rep", "lina")
        self.assertEqual(len(rows), 5)
        self.assertTrue(all(r["rep"] == "lina" for r in rows))
        rows = self.report("visits", "--since", "2026-11-05", "--until", "2026-11-10")
        self.assertEqual([r["day"] for r in rows],
                         ["2026-11-05", "2026-11-06", "2026-11-09", "2026-11-10"])
        rows = self.report("visits", "--rep", "zhangwei", "--since", "2026-11-16")
        self.assertEqual(rows, [])

    def test_golden_table(self):
        out, err = self.table("visits", "--rep", "lina")
        # UUIDv7s carry random bits; the same width keeps the alignment checked.
        out = UUID.sub("xxxxxxxx-xxxx-7xxx-xxxx-xxxxxxxxxxxx", out)
        self.check_golden("report_visits_lina.txt", out)


class CustomersReportTest(ReportCase):

    def test_counts_and_balances(self):
        rows = {r["name"]: r for r in self.report("customers")}
        self.assertEqual(len(rows), 6 + 3 + len(RECEIVABLES))
        a = rows["甲科技"]
        self.assertEqual((a["visits"], a["first_visit"], a["last_visit"]),
                         (3, "2026-11-02", "2026-11-09"))
        self.assertEqual((a["orders"], a["revenue"], a["paid"], a["outstanding"]),
                         (1, 1000.0, 0.0, 1000.0))
        self.assertEqual((a["status"], a["owner"], a["building"], a["floor"], a["room"]),
                         ("customer", "zhangwei", B, "12", "1201"))
        self.assertEqual(rows["九十一天商贸"]["paid"], 200.0)
        self.assertEqual(rows["九十一天商贸"]["outstanding"], 500.0)
        self.assertEqual(rows["已付清商贸"]["outstanding"], 0.0)
        self.assertEqual(rows["庚公司"]["no_solicitation"], "yes")
        self.assertEqual(rows["庚公司"]["visits"], 0)
        self.assertIsNone(rows["庚公司"]["last_visit"])

    def test_rep_is_the_owner_and_a_period_keeps_the_active(self):
        self.assertEqual(sorted(r["name"] for r in self.report("customers", "--rep", "lina")),
                         sorted(["戊传媒", "己设计"]))
        rows = self.report("customers", "--since", "2026-11-05", "--until", "2026-11-12")
        # Visits 5–10 Nov: 甲 (5, 9), 丁 (6), 乙 (10); the order of 甲 on the 12th.
        by_name = {r["name"]: r for r in rows}
        self.assertEqual(sorted(by_name), sorted(["甲科技", "丁教育", "乙贸易"]))
        self.assertEqual(by_name["甲科技"]["visits"], 2)
        self.assertEqual(by_name["乙贸易"]["orders"], 0)

    def test_csv(self):
        rows = {r["name"]: r for r in self.report("customers", fmt="csv")}
        self.assertEqual(rows["三十天商贸"]["outstanding"], "150.00")
        self.assertEqual(rows["辛公司"]["last_visit"], "")


class FollowupsReportTest(ReportCase):

    def test_all_follow_ups(self):
        rows = self.report("followups")
        # Two from visits, eight collections (orders with a due day and a balance left); the
        # order paid up front has no follow-up.
        self.assertEqual(len(rows), 10)
        self.assertEqual([r["due"] for r in rows], sorted(r["due"] for r in rows))
        by_customer = {r["customer"]: r for r in rows}
        b = by_customer["乙贸易"]
        self.assertEqual((b["due"], b["state"], b["overdue_days"], b["reason"], b["channel"],
                          b["rep"]), ("2026-11-13", "open", 13, "progress", "phone", "zhangwei"))
        e = by_customer["戊传媒"]
        self.assertEqual((e["overdue_days"], e["channel"], e["rep"]), (3, "email", "lina"))
        self.assertEqual(by_customer["未到期商贸"]["overdue_days"], 0)
        self.assertEqual(by_customer["九十一天商贸"]["reason"], "collection")
        self.assertIsNotNone(by_customer["九十一天商贸"]["order_id"])

    def test_period_and_rep(self):
        rows = self.report("followups", "--since", "2026-11-10", "--until", "2026-11-30")
        self.assertEqual([r["customer"] for r in rows], ["乙贸易", "戊传媒", "零天商贸"])
        rows = self.report("followups", "--rep", "lina", fmt="csv")
        self.assertEqual([(r["customer"], r["due"]) for r in rows], [("戊传媒", "2026-11-23")])

    def test_done_follow_up_keeps_its_result(self):
        fid = [r for r in self.report("followups") if r["customer"] == "戊传媒"][0]["id"]
        self.fb_ok("--as", "lina", "followup", "done", str(fid), "--result", "已发目录",
                   "--outcome", "contact")
        row = [r for r in self.report("followups") if r["id"] == fid][0]
        self.assertEqual((row["state"], row["result"], row["overdue_days"], row["closed_day"]),
                         ("done", "已发目录", 0, "2026-11-26"))
        self.assertIsNotNone(row["closed_visit_id"])


class FunnelReportTest(ReportCase):

    def test_stages_conversions_and_medians(self):
        rows = self.report("funnel")
        self.assertEqual([r["stage"] for r in rows],
                         ["visited", "contact", "interest", "intent", "order"])
        # Reached: visited A–F (6); contact A B D E F (5); interest A B D F (4); intent A B F
        # (3); order A (the order of the 12th) and F (the order outcome of the 20th) (2).
        self.assertEqual([r["customers"] for r in rows], [6, 5, 4, 3, 2])
        # Furthest stage: C visited only, E contact, D interest, B intent, A and F order.
        self.assertEqual([r["stopped"] for r in rows], [1, 1, 1, 1, 2])
        self.assertEqual([r["conversion"] for r in rows], [None, 83.3, 80.0, 75.0, 66.7])
        self.assertEqual([r["of_visited"] for r in rows], [100.0, 83.3, 66.7, 50.0, 33.3])
        # Days from the first visit: contact 0,0,2,0,0 -> 0; interest A 3, B 1, D 9, F 1 -> 2;
        # intent A 7, B 7, F 2 -> 7; order A 10, F 3 -> 6.5.
        self.assertEqual([r["median_days_from_first_visit"] for r in rows],
                         [None, 0.0, 2.0, 7.0, 6.5])
        # From the stage before: contact as above; interest A 3, B 1, D 7, F 1 -> 2;
        # intent A 4, B 6, F 1 -> 4; order A 3, F 1 -> 2.
        self.assertEqual([r["median_days_from_previous"] for r in rows],
                         [None, 0.0, 2.0, 4.0, 2.0])

    def test_rep_and_period(self):
        rows = self.report("funnel", "--rep", "lina", fmt="csv")
        self.assertEqual([int(r["customers"]) for r in rows], [2, 2, 1, 1, 1])
        self.assertEqual(rows[2]["conversion"], "50.0")
        # First visited from the 16th on: E and F only, the same as lina's.
        rows = self.report("funnel", "--since", "2026-11-16")
        self.assertEqual([r["customers"] for r in rows], [2, 2, 1, 1, 1])
        # Up to the 5th: A contact → interest, B contact → interest, C refused, D absent.
        rows = self.report("funnel", "--until", "2026-11-05")
        self.assertEqual([r["customers"] for r in rows], [4, 2, 2, 0, 0])
        self.assertIsNone(rows[3]["median_days_from_first_visit"])
        self.assertEqual(rows[3]["conversion"], 0.0)

    def test_golden_table(self):
        out, err = self.table("funnel")
        self.check_golden("report_funnel.txt", out)


class RepsReportTest(ReportCase):

    def test_days_against_quota(self):
        rows = self.report("reps", "--since", "2026-11-02", "--until", "2026-11-20")
        by = {(r["day"], r["rep"]): r for r in rows}
        # zhangwei: visits on 2, 3 (2), 4 (2), 5, 6, 9, 10, 13; the order on the 12th.
        # lina: one visit a day 16–20.
        self.assertEqual(len(rows), 8 + 1 + 5)
        d3 = by[("2026-11-03", "zhangwei")]
        self.assertEqual((d3["quota"], d3["visits"], d3["quota_percent"]), (4, 2, 50.0))
        self.assertEqual((d3["contact"], d3["refused"], d3["new_customers"]), (1, 1, 2))
        self.assertIsNone(by[("2026-11-02", "zhangwei")]["quota"])
        self.assertIsNone(by[("2026-11-02", "zhangwei")]["quota_percent"])
        o = by[("2026-11-12", "zhangwei")]
        self.assertEqual((o["visits"], o["orders"], o["revenue"]), (0, 1, 1000.0))
        l16 = by[("2026-11-16", "lina")]
        self.assertEqual((l16["quota"], l16["visits"], l16["quota_percent"],
                          l16["new_customers"]), (3, 1, 33.3, 1))
        self.assertEqual(by[("2026-11-18", "lina")]["new_customers"], 0)
        self.assertEqual(by[("2026-11-20", "lina")]["order"], 1)

    def test_by_week(self):
        rows = self.report("reps", "--by", "week", "--since", "2026-11-02", "--until",
                           "2026-11-20", fmt="csv")
        by = {(r["week"], r["rep"]): r for r in rows}
        self.assertEqual(sorted(by), [("2026-11-02", "zhangwei"), ("2026-11-09", "zhangwei"),
                                      ("2026-11-16", "lina")])
        w1 = by[("2026-11-02", "zhangwei")]
        # 1 + 2 + 2 + 1 + 1 visits against the quota of 4 set for the 3rd.
        self.assertEqual((w1["visits"], w1["quota"], w1["quota_percent"], w1["new_customers"]),
                         ("7", "4", "175.0", "4"))
        w3 = by[("2026-11-16", "lina")]
        self.assertEqual((w3["visits"], w3["quota"], w3["quota_percent"], w3["order"]),
                         ("5", "5", "100.0", "1"))
        self.assertEqual(by[("2026-11-09", "zhangwei")]["revenue"], "1000.00")

    def test_default_is_the_last_30_days_and_rep_filters(self):
        rows = self.report("reps")
        # 28 Oct – 26 Nov: everything above plus the order of 30 Oct and of 1 Nov.
        self.assertTrue(all("2026-10-28" <= r["day"] <= "2026-11-26" for r in rows))
        self.assertIn(("2026-10-30", "zhangwei"), {(r["day"], r["rep"]) for r in rows})
        self.assertNotIn("2026-10-15", {r["day"] for r in rows})
        rows = self.report("reps", "--rep", "lina")
        self.assertEqual([r["day"] for r in rows],
                         ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"])

    def test_bad_by_is_a_usage_error(self):
        self.assertUsageError(self.fb("report", "reps", "--by", "month"), "--by", "month")

    def test_golden_table(self):
        out, err = self.table("reps", "--by", "week", "--since", "2026-11-02")
        self.check_golden("report_reps_week.txt", out)


class CoverageReportTest(ReportCase):

    def test_floors(self):
        rows = self.report("coverage")
        self.assertEqual([(r["building"], r["floor"]) for r in rows],
                         [(B, "12"), (B, "15"), (B, "16"), (G, "3")])
        f12, f15, f16, g3 = rows
        # 12: 甲 乙 丙 all visited (7 visits), 丙 refused, 甲's order.
        self.assertEqual((f12["rooms"], f12["visited"], f12["coverage"], f12["visits"],
                          f12["refused"], f12["no_solicitation"], f12["won"]),
                         (3, 3, 100.0, 7, 1, 0, 1))
        # 15: 丁 and 戊 visited, 辛 not.
        self.assertEqual((f15["rooms"], f15["visited"], f15["coverage"], f15["visits"]),
                         (3, 2, 66.7, 4))
        # 16: 己 visited four times, to an order; 庚 says no solicitation.
        self.assertEqual((f16["rooms"], f16["visited"], f16["coverage"], f16["no_solicitation"],
                          f16["won"]), (2, 1, 50.0, 1, 1))
        self.assertEqual((g3["rooms"], g3["visited"], g3["coverage"], g3["visits"]),
                         (1, 0, 0.0, 0))

    def test_rep_and_period(self):
        rows = {r["floor"]: r for r in self.report("coverage", "--rep", "lina", fmt="csv")}
        self.assertEqual((rows["12"]["visited"], rows["12"]["won"]), ("0", "0"))
        self.assertEqual((rows["15"]["visited"], rows["15"]["visits"]), ("1", "1"))
        self.assertEqual(rows["16"]["won"], "1")
        rows = {r["floor"]: r for r in self.report("coverage", "--until", "2026-11-04")}
        # By the 4th: 甲 乙 丙 on 12 (4 visits), 丁 on 15 (absent); no order yet.
        self.assertEqual((rows["12"]["visits"], rows["12"]["won"]), (4, 0))
        self.assertEqual(rows["15"]["visited"], 1)

    def test_a_floor_written_another_way_is_the_same_floor(self):
        # 壬物流 is in room 301 on floor "3" of 环球中心. The same floor, written four more ways,
        # and the same room once more in full width; then a basement, a negative floor and a
        # named floor, which stay floors of their own.
        for name, floor, room in [("癸公司", "３楼", "302"), ("子公司", "03F", "３０１"),
                                  ("丑公司", "3层", "303"), ("寅公司", "3 f", "304"),
                                  ("卯公司", "B1", "B101"), ("辰公司", "-1", "-101"),
                                  ("巳公司", "夹层", "M01")]:
            self.fb_ok("customer", "add", name, "--building", G, "--floor", floor,
                       "--room", room, "--new")
        self.fb_ok("visit", "add", "子公司", "--outcome", "contact", "--at", "2026-11-20 10:00",
                   env=at("2026-11-20"))
        rows = [r for r in self.report("coverage") if r["building"] == G]
        self.assertEqual([r["floor"] for r in rows], ["-1", "B1", "3", "夹层"])
        g3 = rows[2]
        # 301 (壬物流 and 子公司), 302, 303, 304; the one visit was to room 301.
        self.assertEqual((g3["rooms"], g3["visited"], g3["coverage"], g3["visits"]),
                         (4, 1, 25.0, 1))
        out, err = self.table("coverage")
        header = [line for line in out.splitlines() if line.startswith("building ")][-1]
        self.assertEqual(header.split(), ["building", "-1F", "B1F", "3F", "12F", "15F", "16F",
                                          "夹层"])

    def test_machine_formats_have_no_grid(self):
        out, err = self.fb_ok("report", "coverage", "--format", "csv")
        self.assertEqual(len(parse_csv(out)), 4)
        self.assertNotIn("█", out)

    def test_golden_table_with_grid(self):
        out, err = self.table("coverage")
        self.assertIn("█★", out, "floor 12: every room visited, a customer won")
        self.check_golden("report_coverage.txt", out)
        self.assertIn("★ a customer won", err)


class ReceivablesReportTest(ReportCase):

    def test_aging_boundaries(self):
        rows = self.report("receivables")
        self.assertEqual([(r["customer"], r["days"], r["bucket"]) for r in rows], [
            ("九十一天商贸", 91, "90+"),
            ("九十天商贸", 90, "61-90"),
            ("六十一天商贸", 61, "61-90"),
            ("六十天商贸", 60, "31-60"),
            ("三十一天商贸", 31, "31-60"),
            ("三十天商贸", 30, "0-30"),
            ("无账期商贸", 25, "0-30"),     # no due day: counted from the order's day
            ("甲科技", 14, "0-30"),
            ("零天商贸", 0, "0-30"),
            ("未到期商贸", -14, "current"),
        ])
        by = {r["customer"]: r for r in rows}
        self.assertEqual((by["九十一天商贸"]["amount"], by["九十一天商贸"]["paid"],
                          by["九十一天商贸"]["outstanding"]), (700.0, 200.0, 500.0))
        self.assertEqual(by["三十天商贸"]["outstanding"], 150.0)
        self.assertIsNone(by["无账期商贸"]["due"])

    def test_totals_on_stderr(self):
        out, err = self.fb_ok("report", "receivables", "--format", "csv")
        self.assertEqual(len(parse_csv(out)), 10)
        # current 800; 0-30: 100 + 150 + 900 + 1000; 31-60: 300 + 400; 61-90: 500 + 600;
        # 90+: 500.
        self.assertIn("outstanding 5250.00 on 10 orders: current 800.00, 0-30 2150.00, "
                      "31-60 700.00, 61-90 1100.00, 90+ 500.00", err)

    def test_period_and_rep(self):
        rows = self.report("receivables", "--since", "2026-10-01", "--until", "2026-10-31")
        self.assertEqual(sorted(r["customer"] for r in rows),
                         sorted(["零天商贸", "三十天商贸", "三十一天商贸", "未到期商贸"]))
        out, err = self.fb_ok("report", "receivables", "--rep", "lina")
        self.assertIn("nothing outstanding", err)

    def test_golden_table(self):
        out, err = self.table("receivables")
        self.check_golden("report_receivables.txt", out)


class ScriptsReportTest(ReportCase):

    def test_outcomes_by_script(self):
        rows = self.report("scripts")
        self.assertEqual([(r["script"], r["visits"]) for r in rows],
                         [("first-visit", 6), ("revisit", 4), ("phone-follow-up", 1), (None, 4)])
        first, revisit, phone, none = rows
        self.assertEqual((first["refused"], first["absent"], first["contact"]), (1, 1, 4))
        self.assertEqual((first["contact_rate"], first["intent_rate"], first["order_rate"]),
                         (66.7, 0.0, 0.0))
        self.assertEqual((revisit["contact_rate"], revisit["intent_rate"],
                          revisit["order_rate"]), (100.0, 50.0, 25.0))
        self.assertEqual((none["interest"], none["intent"], none["intent_rate"]), (2, 2, 50.0))

    def test_rep_and_period(self):
        rows = self.report("scripts", "--rep", "lina", fmt="csv")
        self.assertEqual([(r["script"], r["visits"]) for r in rows],
                         [("first-visit", "2"), ("revisit", "2"), ("", "1")])
        rows = self.report("scripts", "--since", "2026-11-04", "--until", "2026-11-04")
        self.assertEqual([(r["script"], r["visits"]) for r in rows],
                         [("first-visit", 1), ("phone-follow-up", 1)])

    def test_golden_table(self):
        out, err = self.table("scripts")
        self.check_golden("report_scripts.txt", out)


class ReportFormatsTest(ReportCase):

    def test_every_report_in_every_format(self):
        names = ["visits", "customers", "followups", "funnel", "reps", "coverage",
                 "receivables", "scripts"]
        for name in names:
            rows = self.report(name, "--since", "2026-11-01")
            columns = list(rows[0])
            tsv = self.fb_ok("report", name, "--since", "2026-11-01", "--format", "tsv")[0]
            lines = tsv.rstrip("\n").split("\n")
            self.assertEqual(lines[0].split("\t"), columns, name)
            self.assertEqual(len(lines), 1 + len(rows), name)
            md = self.fb_ok("report", name, "--since", "2026-11-01", "--format", "md")[0]
            self.assertTrue(md.startswith("| " + columns[0]), name)
            html = self.fb_ok("report", name, "--since", "2026-11-01", "--format", "html")[0]
            self.assertEqual(html.count("<tr"), 1 + len(rows), name)
            self.assertNotIn("█", md + html + tsv, "the grid is for the table format only")


class ReportErrorsTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟")

    def test_reversed_period_is_a_usage_error(self):
        for name in ["visits", "customers", "followups", "funnel", "reps", "coverage",
                     "receivables", "scripts"]:
            self.assertUsageError(
                self.fb("report", name, "--since", "2026-11-20", "--until", "2026-11-10"),
                "--since 2026-11-20 is after --until 2026-11-10")

    def test_unknown_rep_and_report(self):
        code, out, err = self.fb("report", "visits", "--rep", "nobody")
        self.assertNotEqual(code, 0)
        self.assertIn("nobody", err)
        self.assertEqual(out, "")
        code, out, err = self.fb("report", "sales")
        self.assertEqual(code, 2, err)

    def test_empty_store_prints_headers(self):
        rows = self.report_csv("receivables")
        self.assertEqual(rows, [])
        out, err = self.fb_ok("report", "funnel", "--format", "json")
        self.assertEqual([r["customers"] for r in json.loads(out)], [0, 0, 0, 0, 0])
        self.assertIn("no customers first visited", err)

    def report_csv(self, name):
        out, err = self.fb_ok("report", name, "--format", "csv")
        self.assertTrue(out.startswith("id,"), out)
        return parse_csv(out)


class DemoReportsTest(FieldbookTestCase):

    def test_demo_has_orders_to_report(self):
        self.fb_ok("demo")
        rows = json.loads(self.fb_ok("report", "receivables", "--format", "json")[0])
        self.assertGreaterEqual(len(rows), 3)
        self.assertTrue(any(r["days"] > 0 and r["due"] for r in rows), "one is overdue")
        self.assertTrue(any(0 < r["paid"] < r["amount"] for r in rows), "one is part-paid")
        orders = self.json_rows("order", "list")
        self.assertTrue(any(o["outstanding"] == 0 for o in orders), "one is paid in full")
        funnel = json.loads(self.fb_ok("report", "funnel", "--format", "json")[0])
        self.assertGreater(funnel[-1]["customers"], 0)
        ranked = self.json_rows("rank", "customers")
        self.assertGreaterEqual(len(ranked), 3)


if __name__ == "__main__":
    unittest.main()
