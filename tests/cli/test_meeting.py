"""The end-of-day meeting on a fixed two-day scenario.

Reps zhang and li (role rep), wang (manager) and chen (leader). Day 1 is Thursday 2026-11-26,
day 2 Friday 2026-11-27, so the next working day after day 2 is Monday 2026-11-30. The clock
is fixed with FIELDBOOK_NOW at 18:00 local time (Asia/Shanghai) of the day being run.

Covered: `meeting report` in txt / md (golden files, reviewed by eye), json (every documented
field, values from the scenario) and html (parsed with html.parser, no raw HTML from notes);
CJK alignment of the txt report's visit tables, checked with this file's own display width;
quotas set on day 1 applied on day 2 (re-planning replaces); notes of every kind, the
manager's first; close (archive + SHA-256 + closer), immutability after a visit edit,
refusals on a closed day; approval (refused before close, once only); role refusals that
write nothing; the default day of `meeting plan`; `meeting list`; sharing sessions; `demo`.

Regenerate the golden files after an intended change, then review them character by character:

    cd tests/cli && FIELDBOOK_UPDATE_GOLDEN=1 FIELDBOOK_BIN=../../build/fieldbook \
        python3 -m unittest test_meeting.GoldenReportTest
"""

import hashlib
import html.parser
import json
import os
import re
import sqlite3
import unittest

from fbtest import FieldbookTestCase, display_width, positioned


DAY0 = "2026-11-16"          # an old visit that is a stale prospect by day 2
DAY1 = "2026-11-26"          # Thursday
DAY2 = "2026-11-27"          # Friday
MONDAY = "2026-11-30"        # the next working day after DAY2
TUESDAY = "2026-12-01"

OUTCOME_ORDER = ["refused", "absent", "contact", "interest", "intent", "order"]


def at(day, time="18:00:00"):
    """FIELDBOOK_NOW for a local (Asia/Shanghai) day and time."""
    return {"FIELDBOOK_NOW": f"{day}T{time}+08:00"}


# ---- the scenario, as data -----------------------------------------------------------------
# (rep, customer, time, flags, outcome, note)
DAY0_VISITS = [
    ("zhang", "金牛印务", "14:00",
     ["--building", "金牛万达", "--floor", "5", "--contact", "孙经理", "--role", "purchaser",
      "--phone", "13900001111", "--headcount", "25", "--brands", "得力"],
     "interest", "考虑换供应商"),
]

DAY1_VISITS = [
    ("zhang", "蓝海数据科技", "09:30",
     ["--building", "天府软件园B座", "--floor", "12", "--room", "1203", "--contact", "王芳",
      "--role", "gatekeeper", "--card", "--headcount", "45", "--office-size", "约300平方米",
      "--brands", "得力", "--next", MONDAY],
     "contact", "前台收下了目录"),
    ("zhang", "锦城律师事务所", "10:40",
     ["--building", "天府软件园B座", "--floor", "13", "--contact", "刘律师", "--role",
      "decision-maker", "--headcount", "20", "--brands", "晨光"],
     "intent", "要A4纸和硒鼓报价"),
    ("zhang", "星辰游戏", "11:20",
     ["--building", "天府软件园B座", "--floor", "14"],
     "refused", "前台不让进"),
    ("li", "西部物流", "09:50",
     ["--building", "环球中心", "--floor", "8", "--room", "801", "--contact", "赵敏", "--role",
      "purchaser", "--headcount", "120", "--office-size", "约800平方米", "--brands", "齐心"],
     "order", "下单A4纸50箱"),
    ("li", "川味餐饮管理", "14:10",
     ["--building", "环球中心", "--floor", "9"],
     "absent", "办公室没人"),
    ("li", "蜀道科技", "15:00",
     ["--building", "环球中心", "--floor", "10", "--contact", "周工", "--role", "inside",
      "--headcount", "60", "--next", TUESDAY],
     "interest", "周工愿意帮忙引荐采购"),
]

DAY2_VISITS = [
    ("zhang", "云帆教育", "09:15",
     ["--building", "天府软件园B座", "--floor", "15", "--contact", "小李", "--role",
      "gatekeeper"],
     "absent", "负责人出差"),
    ("zhang", "锦城律师事务所", "10:05",
     ["--contact", "刘律师", "--role", "decision-maker"],
     "order", "签单：打印纸和硒鼓"),
    ("zhang", "绿源环保", "11:30",
     ["--building", "天府软件园B座", "--floor", "16", "--room", "1602", "--contact", "陈主任",
      "--role", "purchaser", "--card", "--phone", "13800002222", "--headcount", "30",
      "--office-size", "约200平方米", "--brands", "得力、晨光", "--next", MONDAY,
      "--next-channel", "visit"],
     "intent", "周一带样品再来"),
    ("li", "天际传媒", "10:20",
     ["--building", "环球中心", "--floor", "11", "--room", "1101", "--contact", "何经理",
      "--role", "purchaser", "--email", "he@tianji.example", "--headcount", "80",
      "--office-size", "约600平方米", "--brands", "齐心", "--next", MONDAY,
      "--next-channel", "email"],
     "interest", "要电子版目录"),
    ("li", "成都银杏酒店", "10:50",
     ["--building", "环球中心", "--floor", "11"],
     "absent", "前台说经理不在"),
    ("li", "华西医疗器械", "14:30",
     ["--building", "环球中心", "--floor", "12"],
     "refused", "门口贴着谢绝推销"),
    ("li", "西部物流", "15:10",
     ["--contact", "赵敏", "--role", "purchaser"],
     "contact", "送货回访，满意"),
]

# (author, kind, text, --rep or None)
DAY1_NOTES = [
    ("zhang", "self-review", "开场白说得太长，客户不耐烦", None),
    ("zhang", "tool-feedback", "目录里找不到硒鼓型号", None),
    ("zhang", "idea", "先找物业要租户名单", None),
    ("li", "self-review", "下午效率低", None),
    ("li", "tool-feedback", "价格表缺批量折扣", None),
    ("li", "idea", "午饭时间不扫楼", None),
    ("wang", "manager", "整体不错，明天继续B座", None),
]

DAY2_NOTES = [
    ("wang", "manager", "本周目标完成七成，下周重点跟进意向客户", None),
    ("wang", "manager", "锦城律师事务所签单，值得表扬", "zhang"),
    ("zhang", "self-review", "报价单准备不足，下次带齐", None),
    ("zhang", "tool-feedback", "开场白第二段可以删掉", None),
    ("zhang", "idea", "按楼层画扫楼地图", None),
    ("li", "self-review", "被拒后情绪低落，要调整", None),
    ("li", "tool-feedback", "目录的纸张规格写错了", None),
    ("li", "idea", "和物业合作发传单", None),
]


def place_of(building, floor, room):
    out = building or ""
    if floor:
        out += (" " if out else "") + floor + "F"
    if room:
        out += (" " if out else "") + room
    return out


def flag(flags, name):
    return flags[flags.index(name) + 1] if name in flags else None


class TextLayout:
    """Reads the program's aligned tables with this file's own display-width code."""

    @staticmethod
    def slice_columns(line, start, end):
        """The characters of line that occupy display columns [start, end), or None if a
        double-width character straddles a boundary."""
        out = []
        for col, ch, w in positioned(line):
            if col >= end:
                break
            if col + w <= start:
                continue
            if col < start or col + w > end:
                return None
            out.append(ch)
        return "".join(out)

    @staticmethod
    def spans(rule_line):
        """[(start, end)] display columns of each run of ─ in a table's rule line."""
        spans, col, start = [], 0, None
        for ch in rule_line:
            if ch == "─" and start is None:
                start = col
            elif ch != "─" and start is not None:
                spans.append((start, col))
                start = None
            col += display_width(ch)
        if start is not None:
            spans.append((start, col))
        return spans


class MeetingCase(FieldbookTestCase):
    """A store with the team; helpers to run commands on day 1 or day 2."""

    def setUp(self):
        super().setUp()
        self.fb_ok("init", "--me", "wang", "--name", "王建林", "--role", "manager",
                   "--timezone", "Asia/Shanghai", env=at(DAY1))
        for handle, name, role in (("zhang", "张伟", "rep"), ("li", "李娜", "rep"),
                                   ("chen", "陈静", "leader")):
            self.fb_ok("rep", "add", handle, "--name", name, "--role", role, env=at(DAY1))

    # running on a day ------------------------------------------------------------------

    def on(self, day, *args, who=None, time="18:00:00"):
        """Run as `who` (default the config's me, wang) with the clock on `day`."""
        prefix = ["--as", who] if who else []
        return self.fb(*prefix, *args, env=at(day, time))

    def on_ok(self, day, *args, who=None, time="18:00:00"):
        code, out, err = self.on(day, *args, who=who, time=time)
        self.assertEqual(code, 0, f"{who or 'wang'}@{day}: fieldbook {' '.join(args)} "
                                  f"failed:\n{err}")
        return out, err

    def report(self, day, fmt="txt", on_day=None, who=None):
        out, err = self.on_ok(on_day or day, "meeting", "report", "--date", day,
                              "--format", fmt, who=who)
        return out

    def report_json(self, day, on_day=None, who=None):
        out = self.report(day, "json", on_day=on_day, who=who)
        data = json.loads(out)
        self.assertIsInstance(data, dict, "meeting report --format json is one object")
        return data

    def meeting_list(self, day, *args):
        out, err = self.on_ok(day, "meeting", "list", "--format", "json", *args)
        data = json.loads(out)
        self.assertIsInstance(data, list)
        return {row["day"]: row for row in data}

    def visit_rows(self, day):
        out, err = self.on_ok(day, "visit", "list", "--format", "json")
        return json.loads(out)

    # the scenario ------------------------------------------------------------------------

    def log_visits(self, day, visits, visit_day=None):
        """Log visits with the clock on `day`; they happened on visit_day (default day)."""
        for rep, customer, time, flags, outcome, note in visits:
            self.on_ok(day, "visit", "add", customer, *flags, "--outcome", outcome,
                       "--note", note, "--at", f"{visit_day or day} {time}", who=rep)

    def write_notes(self, day, notes):
        for author, kind, text, rep in notes:
            extra = ["--rep", rep] if rep else []
            self.on_ok(day, "meeting", "note", "--kind", kind, text, "--date", day, *extra,
                       who=author)

    def build_day1(self):
        self.log_visits(DAY1, DAY0_VISITS, visit_day=DAY0)
        self.log_visits(DAY1, DAY1_VISITS)
        self.write_notes(DAY1, DAY1_NOTES)
        # li's order at 西部物流, cash on delivery the same day, not paid that day
        self.on_ok(DAY1, "order", "add", "西部物流", "--amount", "2000", "--due", DAY1,
                   "--note", "A4纸50箱", who="li")
        # wang sets the quotas for Friday; li is planned twice, the second replaces the first
        self.on_ok(DAY1, "meeting", "plan", "--rep", "zhang", "--visits", "8",
                   "--goal", "天府软件园B座 12-16层")
        self.on_ok(DAY1, "meeting", "plan", "--rep", "li", "--visits", "6",
                   "--goal", "环球中心 8-10层")
        self.on_ok(DAY1, "meeting", "plan", "--rep", "li", "--visits", "10",
                   "--goal", "环球中心 8-12层")

    def build_day2(self):
        self.log_visits(DAY2, DAY2_VISITS)
        # zhang's order at 锦城律师事务所, paid in full up front; li collects part of the
        # overdue 西部物流 order and is to call for the rest on Monday
        self.on_ok(DAY2, "order", "add", "锦城律师事务所", "--amount", "1280", "--prepaid", "1280",
                   who="zhang")
        self.on_ok(DAY2, "order", "pay", self.order_id("西部物流"), "--amount", "800",
                   "--note", "现金", who="li")
        self.on_ok(DAY2, "followup", "add", "西部物流", "--due", MONDAY, "--reason",
                   "collection", "--note", "余款周一付", who="li")
        self.write_notes(DAY2, DAY2_NOTES)
        # the plan for Monday, with the default day (the next working day after a Friday)
        self.on_ok(DAY2, "meeting", "plan", "--rep", "zhang", "--visits", "9",
                   "--goal", "绿源环保送样品，B座17-20层")
        self.on_ok(DAY2, "meeting", "plan", "--rep", "li", "--visits", "7",
                   "--goal", "天际传媒电话跟进")

    def build(self):
        self.build_day1()
        self.build_day2()

    def order_id(self, customer):
        out, err = self.on_ok(DAY2, "order", "list", "--format", "json")
        ids = [str(o["id"]) for o in json.loads(out) if o["customer"] == customer]
        self.assertEqual(len(ids), 1, f"one order of {customer}")
        return ids[0]

    def assertNothingWritten(self, fn, *needles, day=DAY2, code=2):
        """fn() must fail with `code` and the message needles, and change nothing: neither the
        store (read with sqlite3) nor what `meeting list`, the json report and `meeting show`
        say."""
        def views():
            return (self.meeting_list(day), self.report_json(day, on_day=day),
                    self.on(day, "meeting", "show", "--date", day)[1:])
        before = views()
        result = self.assertUnchangedBy(fn, expect_code=code)
        self.assertEqual(views(), before)
        rc, out, err = result
        self.assertIn("fieldbook: error:", err)
        for n in needles:
            self.assertIn(n, err)
        self.assertEqual(out, "", "a refused command prints nothing on stdout")
        return err



def expected_visit_cells(v):
    """The eight cells of a visit's row, computed here from the json report's fields."""
    learned = []
    if v["office_size"]:
        learned.append(v["office_size"])
    if v["headcount"] is not None:
        learned.append(f"{v['headcount']}人")
    for key in ("brands", "usage"):
        if v[key]:
            learned.append(v[key])
    contact = ""
    if v["contact"]:
        contact = v["contact"] + (f" ({v['contact_role']})" if v["contact_role"] else "")
    nxt = f"{v['next_due']} {v['next_channel'] or ''}".strip() if v["next_due"] else ""
    return [v["time"], v["customer"], place_of(v["building"], v["floor"], v["room"]), contact,
            " · ".join(learned), v["outcome"], nxt, v["note"] or ""]


VISIT_HEADER = ["time", "customer", "place", "contact", "learned", "outcome", "next", "note"]


class GoldenReportTest(MeetingCase, TextLayout):
    """Day 2's txt and md reports, character by character, and the txt tables' alignment."""

    def test_golden_txt_and_md_reports_of_day_2(self):
        self.build()
        for name, fmt in (("meeting_day2.txt", "txt"), ("meeting_day2.md", "md")):
            with self.subTest(golden=name):
                self.check_golden(name, self.report(DAY2, fmt))
        # txt is the default format
        out, err = self.on_ok(DAY2, "meeting", "report", "--date", DAY2)
        self.assertEqual(out, self.report(DAY2, "txt"))
        # and --date defaults to today
        out, err = self.on_ok(DAY2, "meeting", "report", "--format", "md")
        self.assertEqual(out, self.report(DAY2, "md"))

    def visit_tables(self, text):
        """[(header line, rule line, [row lines])] of every visit table of a txt report."""
        lines = text.split("\n")
        tables = []
        for i, line in enumerate(lines):
            if line.strip().startswith("─") and lines[i - 1].split() == VISIT_HEADER:
                rows = []
                for row in lines[i + 1:]:
                    if not re.match(r"^\s+\d\d:\d\d  ", row):
                        break
                    rows.append(row)
                tables.append((lines[i - 1], line, rows))
        return tables

    def assertCellFits(self, cell, expected, width, where):
        if cell == expected:
            return
        self.assertGreater(display_width(expected), width,
                           f"{where}: {cell!r} is not {expected!r} (and the latter fits)")
        self.assertTrue(cell.endswith("…"), f"{where}: a cut cell ends with …: {cell!r}")
        self.assertTrue(expected.startswith(cell[:-1]),
                        f"{where}: {cell!r} is not a prefix of {expected!r}")
        self.assertLessEqual(display_width(cell), width, where)

    def test_txt_visit_tables_align_by_display_width(self):
        self.build()
        text = self.report(DAY2, "txt")
        data = self.report_json(DAY2)
        tables = self.visit_tables(text)
        self.assertEqual(len(tables), 2, f"one visit table per rep with visits:\n{text}")
        for (header, rule, rows), rep in zip(tables, data["reps"]):
            spans = self.spans(rule)
            self.assertEqual(len(spans), len(VISIT_HEADER), rule)
            starts = [s for s, _ in spans]
            self.assertEqual(len(rows), len(rep["visits"]), f"{rep['rep']}: one row per visit")
            for line, cells in [(header, VISIT_HEADER)] + [
                    (row, expected_visit_cells(v)) for row, v in zip(rows, rep["visits"])]:
                self.assertLessEqual(display_width(line), spans[-1][1],
                                     f"row wider than its rule: {line!r}")
                for i, (start, end) in enumerate(spans):
                    stop = starts[i + 1] if i + 1 < len(starts) else max(end, display_width(line))
                    chunk = self.slice_columns(line, start, stop)
                    self.assertIsNotNone(chunk, f"a wide character straddles column {start} "
                                                f"or {stop} in {line!r}")
                    # the column starts exactly here: what precedes it is the gap
                    before = self.slice_columns(line, max(0, start - 2), start)
                    self.assertEqual(before.strip(" "), "",
                                     f"column {VISIT_HEADER[i]} does not start at display "
                                     f"column {start} in {line!r}")
                    self.assertFalse(chunk.startswith(" ") and chunk.strip(),
                                     f"column {VISIT_HEADER[i]} is shifted in {line!r}")
                    self.assertCellFits(chunk.rstrip(" "), cells[i], end - start,
                                        f"{rep['rep']} {VISIT_HEADER[i]} in {line!r}")

    def test_txt_visit_rows_show_what_was_learned(self):
        """Each visit shows what was learned: office size, headcount, brands."""
        self.build()
        text = self.report(DAY2, "txt")
        rows = {}
        for line in text.split("\n"):
            m = re.match(r"^\s+(\d\d:\d\d)  ", line)
            if m:
                rows[m.group(1)] = line
        for time, size, head, brands in (("10:20", "约600平方米", "80人", "齐心"),
                                         ("11:30", "约200平方米", "30人", "得力、晨光")):
            with self.subTest(visit=time):
                self.assertIn(time, rows)
                for part in (size, head, brands):
                    self.assertIn(part, rows[time],
                                  f"the txt report's row for the {time} visit does not show "
                                  f"{part!r}: {rows[time]!r}")


class ReportContentTest(MeetingCase):
    """What the day-2 report says, in txt and md (layout aside)."""

    def setUp(self):
        super().setUp()
        self.build()
        self.txt = self.report(DAY2, "txt")
        self.md = self.report(DAY2, "md")

    def test_heading_names_the_day_and_weekday(self):
        for text in (self.txt, self.md):
            first = text.split("\n")[0]
            self.assertIn(DAY2, first)
            self.assertIn("Friday", first)

    def test_quota_from_day_1_against_visits_done(self):
        for text in (self.txt, self.md):
            for rep, name, quota, done, goal in (("zhang", "张伟", 8, 3, "天府软件园B座 12-16层"),
                                                 ("li", "李娜", 10, 4, "环球中心 8-12层")):
                heading = [l for l in text.split("\n") if rep in l and name in l]
                self.assertTrue(heading, f"no heading for {rep}")
                self.assertRegex(heading[0], rf"\b{quota}\b.*\b{done}\b")
                self.assertRegex(heading[0], r"(?i)quota")
                self.assertIn(goal, text)
            # li was re-planned: the first plan (6 visits, 8-10层) is gone
            self.assertNotIn("环球中心 8-10层", text)
            self.assertNotRegex(text, r"li 李娜.*quota 6")

    def test_outcome_counts_per_rep_and_team(self):
        li = "refused 1 · absent 1 · contact 1 · interest 1 · intent 0 · order 0"
        zhang = "refused 0 · absent 1 · contact 0 · interest 0 · intent 1 · order 1"
        team = "refused 1 · absent 2 · contact 1 · interest 1 · intent 1 · order 1"
        for text in (self.txt, self.md):
            self.assertIn(li, text)
            self.assertIn(zhang, text)
            self.assertIn(team, text)
            self.assertLess(text.index(li), text.index(zhang), "reps in handle order")
            self.assertRegex(text, r"(?i)visits 7 \(quota 18\)")

    def test_each_visit_with_place_contact_learned_outcome_next(self):
        # the md table carries every cell in full
        rows = [l for l in self.md.split("\n") if re.match(r"^\| \d\d:\d\d \|", l)]
        self.assertEqual(len(rows), 7, self.md)
        by_time = {r.split(" | ")[0][2:]: [c.strip() for c in r.strip("| ").split(" | ")]
                   for r in rows}
        self.assertEqual(by_time["11:30"],
                         ["11:30", "绿源环保", "天府软件园B座 16F 1602", "陈主任 (purchaser)",
                          "约200平方米 · 30人 · 得力、晨光", "intent", f"{MONDAY} visit",
                          "周一带样品再来"])
        self.assertEqual(by_time["10:20"],
                         ["10:20", "天际传媒", "环球中心 11F 1101", "何经理 (purchaser)",
                          "约600平方米 · 80人 · 齐心", "interest", f"{MONDAY} email",
                          "要电子版目录"])
        self.assertEqual(by_time["10:05"][1:6],
                         ["锦城律师事务所", "天府软件园B座 13F", "刘律师 (decision-maker)", "",
                          "order"])
        # no visit of another day
        customers = {cells[1] for cells in by_time.values()}
        self.assertEqual(customers, {v[1] for v in DAY2_VISITS})
        # in txt every visit of the day has its time and customer on one line
        for rep, customer, time, *_ in DAY2_VISITS:
            self.assertRegex(self.txt, rf"{time}\s+{customer}")

    def test_notes_of_every_kind_and_manager_notes_first(self):
        for text in (self.txt, self.md):
            for author, kind, note, rep in DAY2_NOTES:
                self.assertEqual(text.count(note), 1, f"{note!r} once in\n{text}")
            for author, kind, note, rep in DAY1_NOTES:
                self.assertNotIn(note, text, "day 1's notes are not in day 2's report")
            first_rep = min(text.index("li 李娜"), text.index("zhang 张伟"))
            for note in ("本周目标完成七成，下周重点跟进意向客户", "锦城律师事务所签单，值得表扬"):
                self.assertLess(text.index(note), first_rep, "the manager's notes come first")
            # each rep's own notes are in that rep's section
            zhang_at, li_at = text.index("zhang 张伟"), text.index("li 李娜")
            for note in ("报价单准备不足，下次带齐", "开场白第二段可以删掉", "按楼层画扫楼地图"):
                self.assertGreater(text.index(note), zhang_at)
            for note in ("被拒后情绪低落，要调整", "目录的纸张规格写错了", "和物业合作发传单"):
                self.assertGreater(text.index(note), li_at)
                self.assertLess(text.index(note), zhang_at)

    def test_team_totals_new_customers_intents_orders(self):
        for text in (self.txt, self.md):
            line = [l for l in text.split("\n") if l.startswith("New customers")]
            self.assertEqual(len(line), 1, text)
            names = set(line[0].split(":", 1)[1].strip().split(", "))
            self.assertEqual(names, {"云帆教育", "绿源环保", "天际传媒", "成都银杏酒店",
                                     "华西医疗器械"})
        # the order is the order record of the day, not the visit's outcome
        self.assertRegex(self.txt, r"(?m)^Order: #2 锦城律师事务所 \(zhang\) 1280\.00, paid$")
        self.assertRegex(self.txt, r"(?m)^Intent: 绿源环保 \(zhang\)$")
        self.assertIn("- order \\#2 锦城律师事务所 (zhang) 1280.00, paid", self.md)
        self.assertIn("- 绿源环保 — intent (zhang)", self.md)
        self.assertNotRegex(self.txt, r"(?m)^(Order|Intent): 西部物流", "day 1's order")

    def test_followups_due_monday_stale_and_monday_plan(self):
        for text in (self.txt, self.md):
            self.assertRegex(text, rf"Follow-ups due by {MONDAY} \(Monday\)")
            self.assertRegex(text, r"(?i)stale prospects \(no progress for 7 days\)")
            self.assertIn(f"Plan for {MONDAY}", text)
            fu = text[text.index("Follow-ups due"):text.index("Stale")]
            for customer in ("蓝海数据科技", "绿源环保", "天际传媒"):
                self.assertIn(customer, fu)
            self.assertNotIn("蜀道科技", fu, "due on Tuesday, not Monday")
            stale = text[text.index("Stale"):text.index(f"Plan for {MONDAY}")]
            self.assertIn("金牛印务", stale)
            self.assertIn("phone", stale)
            plan = text[text.index(f"Plan for {MONDAY}"):]
            self.assertRegex(plan, r"zhang.*张伟.*9.*绿源环保送样品，B座17-20层")
            self.assertRegex(plan, r"li.*李娜.*7.*天际传媒电话跟进")

    def test_day_1_report_shows_the_plan_for_friday(self):
        txt = self.report(DAY1, "txt", on_day=DAY2)
        plan = txt[txt.index(f"Plan for {DAY2}"):]
        self.assertRegex(plan, r"li\s+李娜\s+10\s+环球中心 8-12层")
        self.assertRegex(plan, r"zhang\s+张伟\s+8\s+天府软件园B座 12-16层")
        self.assertNotIn("8-10层", plan)
        self.assertIn("整体不错，明天继续B座", txt)
        self.assertIn("Thursday", txt.split("\n")[0])


class JsonReportTest(MeetingCase):

    def test_json_has_the_documented_fields_and_the_scenario_values(self):
        self.build()
        d = self.report_json(DAY2)
        for key in ("day", "weekday", "kind", "status", "manager_notes", "reps", "totals",
                    "new_customers", "intents_and_orders", "next_day",
                    "followups_due_next_day", "stale_days", "stale", "plans_next_day"):
            self.assertIn(key, d)
        self.assertEqual((d["day"], d["weekday"], d["kind"], d["status"]),
                         (DAY2, "Friday", "daily", "open"))
        self.assertEqual([n["text"] for n in d["manager_notes"]],
                         ["本周目标完成七成，下周重点跟进意向客户", "锦城律师事务所签单，值得表扬"])
        self.assertEqual(d["manager_notes"][1]["about"], "zhang")
        self.assertEqual({n["author"] for n in d["manager_notes"]}, {"wang"})

        reps = {r["rep"]: r for r in d["reps"]}
        self.assertEqual(set(reps), {"zhang", "li"}, "wang and chen had no activity")
        for r in d["reps"]:
            for key in ("rep", "name", "quota", "goal", "done", "outcomes", "visits",
                        "self_review", "tool_feedback", "ideas"):
                self.assertIn(key, r)
        z, l = reps["zhang"], reps["li"]
        self.assertEqual((z["name"], z["quota"], z["goal"], z["done"]),
                         ("张伟", 8, "天府软件园B座 12-16层", 3))
        self.assertEqual((l["name"], l["quota"], l["goal"], l["done"]),
                         ("李娜", 10, "环球中心 8-12层", 4))
        self.assertEqual(z["outcomes"], {"refused": 0, "absent": 1, "contact": 0,
                                         "interest": 0, "intent": 1, "order": 1})
        self.assertEqual(l["outcomes"], {"refused": 1, "absent": 1, "contact": 1,
                                         "interest": 1, "intent": 0, "order": 0})
        self.assertEqual(z["self_review"], ["报价单准备不足，下次带齐"])
        self.assertEqual(z["tool_feedback"], ["开场白第二段可以删掉"])
        self.assertEqual(z["ideas"], ["按楼层画扫楼地图"])
        self.assertEqual(l["self_review"], ["被拒后情绪低落，要调整"])
        self.assertEqual(l["tool_feedback"], ["目录的纸张规格写错了"])
        self.assertEqual(l["ideas"], ["和物业合作发传单"])

        # each visit, in the order of the day, with the fields typed on the command line
        for rep in ("zhang", "li"):
            typed = [v for v in DAY2_VISITS if v[0] == rep]
            got = reps[rep]["visits"]
            self.assertEqual([v["time"] for v in got], [t[2] for t in typed])
            for v, (_, customer, time, flags, outcome, note) in zip(got, typed):
                self.assertEqual(v["customer"], customer)
                self.assertEqual(v["outcome"], outcome)
                self.assertEqual(v["note"], note)
                self.assertEqual(v["contact"], flag(flags, "--contact"))
                self.assertEqual(v["contact_role"], flag(flags, "--role"))
                self.assertEqual(v["office_size"], flag(flags, "--office-size"))
                hc = flag(flags, "--headcount")
                self.assertEqual(v["headcount"], int(hc) if hc else None)
                self.assertEqual(v["brands"], flag(flags, "--brands"))
                self.assertEqual(v["next_due"], flag(flags, "--next"))
                if flag(flags, "--next"):
                    self.assertEqual(v["next_channel"], flag(flags, "--next-channel"))
                if flag(flags, "--building"):
                    self.assertEqual((v["building"], v["floor"], v["room"]),
                                     (flag(flags, "--building"), flag(flags, "--floor"),
                                      flag(flags, "--room")))
        # a revisit shows the customer's building and floor from the first visit
        jc = reps["zhang"]["visits"][1]
        self.assertEqual((jc["building"], jc["floor"]), ("天府软件园B座", "13"))

        self.assertEqual(d["totals"]["visits"], 7)
        self.assertEqual(d["totals"]["quota"], 18)
        self.assertEqual(d["totals"]["outcomes"], {"refused": 1, "absent": 2, "contact": 1,
                                                   "interest": 1, "intent": 1, "order": 1})
        self.assertEqual(sorted(d["new_customers"]),
                         sorted(["云帆教育", "绿源环保", "天际传媒", "成都银杏酒店", "华西医疗器械"]))
        self.assertEqual(sorted((x["customer"], x["rep"], x["outcome"])
                                for x in d["intents_and_orders"]),
                         [("绿源环保", "zhang", "intent"), ("锦城律师事务所", "zhang", "order")])
        self.assertEqual(d["next_day"], MONDAY)
        self.assertEqual(sorted((f["customer"], f["rep"], f["channel"], f["contact"])
                                for f in d["followups_due_next_day"]),
                         sorted([("蓝海数据科技", "zhang", "phone", "王芳"),
                                 ("绿源环保", "zhang", "visit", "陈主任"),
                                 ("天际传媒", "li", "email", "何经理"),
                                 # the collection overdue since day 1, and the call for Monday
                                 ("西部物流", "li", "phone", "赵敏"),
                                 ("西部物流", "li", "phone", "赵敏")]))
        self.assertEqual(d["stale_days"], 7)
        self.assertEqual([(p["customer"], p["owner"], p["best_outcome"], p["since"])
                          for p in d["stale"]],
                         [("金牛印务", "zhang", "interest", DAY0)])
        self.assertEqual(d["stale"][0]["suggest"], "phone", "a phone number is known")
        self.assertEqual(sorted((p["rep"], p["name"], p["visits"], p["goal"])
                                for p in d["plans_next_day"]),
                         [("li", "李娜", 7, "天际传媒电话跟进"),
                          ("zhang", "张伟", 9, "绿源环保送样品，B座17-20层")])

    def test_json_of_day_1(self):
        self.build()
        d = self.report_json(DAY1, on_day=DAY2)
        self.assertEqual((d["day"], d["weekday"], d["next_day"]), (DAY1, "Thursday", DAY2))
        reps = {r["rep"]: r for r in d["reps"]}
        self.assertIsNone(reps["zhang"]["quota"], "no quota was set for Thursday")
        self.assertEqual(reps["zhang"]["done"], 3, "the old visit of 11-16 is not counted")
        self.assertEqual(reps["li"]["done"], 3)
        self.assertEqual([n["text"] for n in d["manager_notes"]], ["整体不错，明天继续B座"])
        self.assertEqual(sorted((p["rep"], p["visits"], p["goal"]) for p in d["plans_next_day"]),
                         [("li", 10, "环球中心 8-12层"), ("zhang", 8, "天府软件园B座 12-16层")])
        self.assertEqual([(f["customer"], f["rep"], f["note"]) for f in d["followups_due_next_day"]],
                         [("西部物流", "li", "收款：订单 #1 余额 1200.00")],
                         "only the collection of li's order, due that day, by Friday (a queue: "
                         "its note names the balance owed now)")
        self.assertEqual(sorted((x["customer"], x["outcome"]) for x in d["intents_and_orders"]),
                         [("西部物流", "order"), ("锦城律师事务所", "intent")])

    def test_other_formats_are_refused(self):
        self.build()
        for fmt in ("csv", "xlsx"):
            with self.subTest(format=fmt):
                self.assertUsageError(self.on(DAY2, "meeting", "report", "--date", DAY2,
                                              "--format", fmt), fmt, "json", "html")

    def test_json_of_a_day_without_anything(self):
        self.build()
        d = self.report_json("2026-11-20", on_day=DAY2)
        self.assertEqual(d["reps"], [])
        self.assertEqual(d["totals"]["visits"], 0)
        self.assertEqual(d["status"], "open")


class TagChecker(html.parser.HTMLParser):
    """Records start tags and checks that every non-void element is closed in order."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.starts, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.starts.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.starts.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


class HtmlReportTest(MeetingCase):

    def parse(self, text):
        p = TagChecker()
        p.feed(text)
        p.close()
        self.assertEqual(p.errors, [], "tags balance")
        self.assertEqual(p.stack, [], "every element is closed")
        return p

    def test_html_is_well_formed_and_has_every_rep(self):
        self.build()
        out = self.report(DAY2, "html")
        self.assertTrue(out.lstrip().lower().startswith("<!doctype html"), out[:80])
        p = self.parse(out)
        self.assertIn("table", p.starts)
        self.assertIn("html", p.starts)
        self.assertIn("body", p.starts)
        text = "".join(p.text)
        for handle, name in (("zhang", "张伟"), ("li", "李娜")):
            self.assertIn(handle, text)
            self.assertIn(name, text)
        for customer in ("绿源环保", "天际传媒", "金牛印务"):
            self.assertIn(customer, text)
        self.assertIn("本周目标完成七成", text)
        self.assertNotIn("<script", out.lower())

    def test_raw_html_in_notes_is_not_passed_through(self):
        self.build()
        self.on_ok(DAY2, "meeting", "note", "--kind", "idea", "<script>alert(1)</script>",
                   who="zhang")
        self.on_ok(DAY2, "meeting", "note", "--kind", "manager",
                   '<img src=x onerror="alert(2)"> 注意')
        self.on_ok(DAY2, "visit", "add", "<b>粗体</b>公司", "--outcome", "contact",
                   "--note", "<iframe src=//evil.example></iframe>", "--at", f"{DAY2} 16:00",
                   who="li")
        self.on_ok(DAY2, "meeting", "plan", "--rep", "li", "--visits", "7",
                   "--goal", "<script>alert(3)</script>")
        out = self.report(DAY2, "html")
        p = self.parse(out)
        for tag in ("script", "img", "iframe", "b"):
            self.assertNotIn(tag, p.starts, f"a <{tag}> typed by a user became a tag")
        self.assertNotIn("<script", out.lower())
        self.assertNotIn("<img", out.lower())
        self.assertNotIn("<iframe", out.lower())
        text = "".join(p.text)
        self.assertIn("alert(1)", text, "the note's text is still shown, as text")
        self.assertIn("<script>alert(1)</script>", text)
        self.assertIn("粗体", text)
        # the json keeps the text exactly as typed
        d = self.report_json(DAY2)
        ideas = {r["rep"]: r["ideas"] for r in d["reps"]}
        self.assertIn("<script>alert(1)</script>", ideas["zhang"])


class CloseTest(MeetingCase):

    def setUp(self):
        super().setUp()
        self.build()

    def close(self, day=DAY2, who=None, time="18:30:00"):
        return self.on_ok(day, "meeting", "close", "--date", day, who=who, time=time)

    def show(self, day=DAY2, on_day=DAY2):
        code, out, err = self.on(on_day, "meeting", "show", "--date", day, time="19:00:00")
        self.assertEqual(code, 0, err)
        return out, err

    def test_close_archives_the_markdown_with_closer_and_sha256(self):
        md = self.report(DAY2, "md")
        out, err = self.close()
        digest = hashlib.sha256(md.encode("utf-8")).hexdigest()
        self.assertIn(digest, err, "close tells the sha256 of what it archived")
        shown, note = self.show()
        self.assertTrue(shown.startswith(md), "show prints the archived summary first")
        footer = shown[len(md):]
        self.assertIn("wang", footer, "the closer is named")
        printed = re.findall(r"\b[0-9a-f]{64}\b", footer)
        self.assertEqual(printed, [digest], "the sha256 printed is that of the archived text")
        self.assertNotRegex(note, r"(?i)changed", "nothing changed since closing")
        # independently, from the store: the archived text and its hash
        (archived, sha), = self.sql("SELECT markdown, sha256 FROM meeting WHERE day = ?", (DAY2,))
        self.assertEqual(archived, md)
        self.assertEqual(sha, hashlib.sha256(archived.encode("utf-8")).hexdigest())
        self.assertEqual(self.report_json(DAY2)["status"], "closed")
        self.assertEqual(self.meeting_list(DAY2)[DAY2]["status"], "closed")

    def test_edits_after_closing_do_not_change_the_archive(self):
        md = self.report(DAY2, "md")
        self.close()
        before, _ = self.show()
        vid = [v for v in self.report_json(DAY2)["reps"][1]["visits"]
               if v["customer"] == "绿源环保"][0]["id"]
        self.on_ok(MONDAY, "visit", "edit", str(vid), "--note", "样品改为周二送", who="zhang",
                   time="09:00:00")
        after, note = self.show(on_day=MONDAY)
        self.assertEqual(after, before, "the archived summary is immutable")
        self.assertTrue(after.startswith(md))
        self.assertIn("周一带样品再来", after)
        self.assertNotIn("样品改为周二送", after)
        self.assertRegex(note, r"(?i)changed", "show says live data changed since closing")
        self.assertIn("meeting report", note)
        # the live report shows the edit
        live = self.report(DAY2, "md", on_day=MONDAY)
        self.assertIn("样品改为周二送", live)
        self.assertNotIn("周一带样品再来", live)
        self.assertIn("样品改为周二送", self.report(DAY2, "txt", on_day=MONDAY))
        # and the hash printed still matches the archived text
        self.assertIn(hashlib.sha256(md.encode("utf-8")).hexdigest(), after)

    def test_notes_on_a_closed_day_are_refused(self):
        self.close()
        for who, args in (("zhang", ["--kind", "self-review", "补一句"]),
                          ("li", ["--kind", "idea", "补一个想法"]),
                          (None, ["--kind", "manager", "经理补充"]),
                          (None, ["--kind", "self-review", "替张伟补", "--rep", "zhang"])):
            with self.subTest(who=who, args=args):
                err = self.assertNothingWritten(
                    lambda: self.on(DAY2, "meeting", "note", *args, "--date", DAY2, who=who,
                                    time="19:00:00"))
                self.assertIn("closed", err)

    def test_a_new_display_time_zone_does_not_flag_a_closed_day(self):
        # The archive's change check is on the day's records: clock times rendered in another
        # zone (and any other change of rendering) are no change to the day.
        self.close()
        before, note = self.show()
        self.assertNotRegex(note, r"(?i)changed")
        self.write_config('timezone = "Europe/London"\n')
        archived = before.split("\n---\n\nClosed by")[0]
        self.assertNotEqual(self.report(DAY2, "md"), archived,
                            "the live summary renders other clock times")
        after, note = self.show()
        self.assertTrue(after.startswith(archived + "\n---\n\nClosed by"),
                        "the archived summary is as it was closed")
        self.assertNotRegex(note, r"(?i)changed")

    def test_editing_a_closed_days_visit_is_flagged_and_other_days_are_not(self):
        self.close()
        (fingerprint,), = self.sql("SELECT records_fingerprint FROM meeting WHERE day = ?",
                                   (DAY2,))
        self.assertRegex(fingerprint, r"^v2:[0-9a-f]{64}$")
        # a visit of another day, and a quota for the next one, are not this day's records
        day1 = [v for r in self.report_json(DAY1)["reps"] for v in r["visits"]][0]["id"]
        self.on_ok(MONDAY, "visit", "edit", str(day1), "--note", "补记", time="09:00:00")
        self.on_ok(MONDAY, "meeting", "plan", "--rep", "li", "--visits", "9", "--for", TUESDAY,
                   time="09:05:00")
        _, note = self.show(on_day=MONDAY)
        self.assertNotRegex(note, r"(?i)changed")
        # the outcome of one of its visits is corrected
        vid = [v for r in self.report_json(DAY2)["reps"] for v in r["visits"]
               if v["customer"] == "成都银杏酒店"][0]["id"]
        self.on_ok(MONDAY, "visit", "edit", str(vid), "--outcome", "refused", who="li",
                   time="09:10:00")
        _, note = self.show(on_day=MONDAY)
        self.assertIn("the day's visits, notes, quotas, orders or payments have changed", note)
        self.assertEqual(self.sql("SELECT records_fingerprint FROM meeting WHERE day = ?",
                                  (DAY2,)), [(fingerprint,)], "the archive is not rewritten")

    def test_closing_twice_is_refused(self):
        self.close()
        err = self.assertNothingWritten(
            lambda: self.on(DAY2, "meeting", "close", "--date", DAY2, time="19:00:00"))
        self.assertIn("closed", err)

    def test_close_defaults_to_today(self):
        out, err = self.on_ok(DAY2, "meeting", "close", time="18:45:00")
        self.assertIn(DAY2, err)
        lst = self.meeting_list(DAY2)
        self.assertEqual(lst[DAY2]["status"], "closed")
        self.assertEqual(lst[DAY1]["status"], "open")


class ApproveTest(MeetingCase):

    COMMENT = "已阅。绿源环保周一务必送样，天际传媒电话跟进。"

    def setUp(self):
        super().setUp()
        self.build()

    def approve(self, day=DAY2, comment=COMMENT):
        return self.on(day, "meeting", "approve", "--date", day, "--comment", comment,
                       who="chen", time="20:00:00")

    def test_approving_an_unclosed_day_is_refused_and_writes_nothing(self):
        err = self.assertNothingWritten(self.approve)
        self.assertIn("close", err)
        self.assertEqual(self.meeting_list(DAY2)[DAY2]["status"], "open")

    def test_leader_approves_with_a_comment_shown_under_the_summary(self):
        md = self.report(DAY2, "md")
        self.on_ok(DAY2, "meeting", "close", "--date", DAY2, time="18:30:00")
        closed, _ = self.on_ok(DAY2, "meeting", "show", "--date", DAY2)
        code, out, err = self.approve()
        self.assertEqual(code, 0, err)
        shown, _ = self.on_ok(DAY2, "meeting", "show", "--date", DAY2, time="20:30:00",
                              who="chen")
        self.assertTrue(shown.startswith(md), "the archived summary is unchanged by approval")
        self.assertEqual(self.on_ok(DAY2, "meeting", "show", "--date", DAY2, who="zhang")[0],
                         shown, "everyone reads the same archive")
        self.assertIn(self.COMMENT, shown)
        self.assertGreater(shown.index(self.COMMENT), len(md), "the comment is under the summary")
        self.assertIn("chen", shown[len(md):], "the approver is named")
        self.assertRegex(shown[len(md):], r"(?i)approved")
        self.assertIn(hashlib.sha256(md.encode("utf-8")).hexdigest(), shown)
        self.assertNotEqual(closed, shown)
        self.assertEqual(self.meeting_list(DAY2)[DAY2]["status"], "approved")
        self.assertEqual(self.report_json(DAY2)["status"], "approved")
        (archived, sha), = self.sql("SELECT markdown, sha256 FROM meeting WHERE day = ?", (DAY2,))
        self.assertEqual(archived, md)

    def test_approving_twice_is_refused(self):
        self.on_ok(DAY2, "meeting", "close", "--date", DAY2, time="18:30:00")
        self.assertEqual(self.approve()[0], 0)
        err = self.assertNothingWritten(lambda: self.approve(comment="再批一次"))
        self.assertIn("approved", err)
        shown, _ = self.on_ok(DAY2, "meeting", "show", "--date", DAY2)
        self.assertNotIn("再批一次", shown)
        self.assertIn(self.COMMENT, shown)


class RoleTest(MeetingCase):
    """Roles come from the --as rep's role; a refusal is exit 2, names the role, writes nothing."""

    def setUp(self):
        super().setUp()
        self.build()

    def refuse(self, who, args, role, *needles, time="18:30:00"):
        err = self.assertNothingWritten(lambda: self.on(DAY2, *args, who=who, time=time),
                                        *needles)
        self.assertIn(role, err, f"the message names the role ({role}): {err}")
        self.assertIn(who or "wang", err, "the message names who tried")
        return err

    def test_a_rep_cannot_run_manager_actions(self):
        cases = [
            (["meeting", "plan", "--rep", "zhang", "--visits", "20"], "manager"),
            (["meeting", "plan", "--rep", "li", "--visits", "0", "--for", MONDAY], "manager"),
            (["meeting", "close", "--date", DAY2], "manager"),
            (["meeting", "approve", "--date", DAY2, "--comment", "自己批"], "leader"),
            (["meeting", "note", "--kind", "manager", "我来当经理"], "manager"),
            (["meeting", "note", "--kind", "self-review", "替李娜写", "--rep", "li"], "manager"),
            (["meeting", "kind", "sharing", "--date", DAY2], "manager"),
        ]
        for args, needed in cases:
            with self.subTest(args=args):
                self.refuse("zhang", args, "rep", needed, args[1])

    def test_a_manager_cannot_approve(self):
        self.on_ok(DAY2, "meeting", "close", "--date", DAY2)
        self.refuse(None, ["meeting", "approve", "--date", DAY2, "--comment", "经理自批"],
                    "manager", "leader", "approve")
        self.assertEqual(self.meeting_list(DAY2)[DAY2]["status"], "closed")

    def test_a_leader_cannot_close(self):
        self.refuse("chen", ["meeting", "close", "--date", DAY2], "leader", "manager", "close")
        self.assertEqual(self.meeting_list(DAY2)[DAY2]["status"], "open")

    def test_unknown_note_kind_lists_the_kinds(self):
        err = self.assertNothingWritten(
            lambda: self.on(DAY2, "meeting", "note", "--kind", "gossip", "八卦", who="zhang"),
            "gossip")
        for kind in ("self-review", "tool-feedback", "idea", "manager"):
            self.assertIn(kind, err)

    def test_the_leader_may_plan_and_a_manager_may_note_for_anyone(self):
        self.on_ok(DAY2, "meeting", "plan", "--rep", "li", "--visits", "5", "--goal", "领导定的",
                   who="chen")
        self.on_ok(DAY2, "meeting", "note", "--kind", "tool-feedback", "经理代记：目录太厚",
                   "--rep", "li")
        d = self.report_json(DAY2)
        self.assertIn(("li", 5, "领导定的"),
                      [(p["rep"], p["visits"], p["goal"]) for p in d["plans_next_day"]])
        li = [r for r in d["reps"] if r["rep"] == "li"][0]
        self.assertIn("经理代记：目录太厚", li["tool_feedback"])
        # a rep writes their own notes
        self.on_ok(DAY2, "meeting", "note", "--kind", "idea", "自己的想法", who="li")
        d = self.report_json(DAY2)
        li = [r for r in d["reps"] if r["rep"] == "li"][0]
        self.assertIn("自己的想法", li["ideas"])


class PlanListKindTest(MeetingCase):

    def test_plan_defaults_to_the_next_working_day(self):
        # Thursday -> Friday
        out, err = self.on_ok(DAY1, "meeting", "plan", "--rep", "zhang", "--visits", "8")
        self.assertIn(DAY2, err)
        # Friday -> Monday, not Saturday
        out, err = self.on_ok(DAY2, "meeting", "plan", "--rep", "zhang", "--visits", "9")
        self.assertIn(MONDAY, err)
        self.assertNotIn("2026-11-28", err)
        self.assertEqual(self.report_json(DAY1, on_day=DAY2)["plans_next_day"][0]["visits"], 8)
        d = self.report_json(DAY2)
        self.assertEqual(d["next_day"], MONDAY)
        self.assertEqual([(p["rep"], p["visits"]) for p in d["plans_next_day"]], [("zhang", 9)])
        monday = self.report_json(MONDAY, on_day=DAY2)
        self.assertEqual([(r["rep"], r["quota"], r["done"]) for r in monday["reps"]],
                         [("zhang", 9, 0)], "the quota set on Friday applies on Monday")
        self.assertEqual(self.report_json("2026-11-28", on_day=DAY2)["reps"], [],
                         "nothing planned for Saturday")
        # --for picks a day
        self.on_ok(DAY2, "meeting", "plan", "--rep", "li", "--visits", "4", "--for", TUESDAY)
        self.assertEqual([(r["rep"], r["quota"]) for r in
                          self.report_json(TUESDAY, on_day=DAY2)["reps"]], [("li", 4)])

    def test_meeting_list_shows_status_and_counts(self):
        self.build()
        self.on_ok(DAY1, "meeting", "close", "--date", DAY1, time="18:30:00")
        self.on_ok(DAY1, "meeting", "approve", "--date", DAY1, "--comment", "已阅", who="chen",
                   time="20:00:00")
        rows = self.meeting_list(DAY2)
        self.assertEqual(set(rows), {DAY0, DAY1, DAY2})
        self.assertEqual({k: v for k, v in rows[DAY2].items() if k != "kind"},
                         {"day": DAY2, "status": "open", "reps": 2, "visits": 7, "intents": 1,
                          "orders": 1, "notes": 8})
        self.assertEqual({k: v for k, v in rows[DAY1].items() if k != "kind"},
                         {"day": DAY1, "status": "approved", "reps": 2, "visits": 6,
                          "intents": 1, "orders": 1, "notes": 7})
        self.assertEqual((rows[DAY0]["status"], rows[DAY0]["visits"]), ("open", 1))
        self.on_ok(DAY2, "meeting", "close", "--date", DAY2, time="18:30:00")
        rows = self.meeting_list(DAY2)
        self.assertEqual([rows[d]["status"] for d in (DAY0, DAY1, DAY2)],
                         ["open", "approved", "closed"])
        # --since / --until
        only = self.meeting_list(DAY2, "--since", DAY1, "--until", DAY1)
        self.assertEqual(list(only), [DAY1])
        # the table for people says the same
        out, err = self.on_ok(DAY2, "meeting", "list")
        for day, status in ((DAY2, "closed"), (DAY1, "approved"), (DAY0, "open")):
            self.assertRegex(out, rf"(?m)^{day}\s+\S+\s+{status}\s")

    def test_sharing_session_report(self):
        self.build()
        self.on_ok(DAY2, "meeting", "kind", "sharing", "--date", DAY2)
        d = self.report_json(DAY2)
        self.assertEqual(d["kind"], "sharing")
        self.assertEqual(self.meeting_list(DAY2)[DAY2]["kind"], "sharing")
        self.assertEqual(self.meeting_list(DAY2)[DAY1]["kind"], "daily")
        txt, md = self.report(DAY2, "txt"), self.report(DAY2, "md")
        daily_md = self.report(DAY1, "md", on_day=DAY2)
        for text in (txt, md):
            self.assertRegex(text[:400], r"(?i)experience.sharing",
                             "the report says it is an experience-sharing session")
            for idea in ("按楼层画扫楼地图", "和物业合作发传单"):
                line = [l for l in text.split("\n") if idea in l][0]
                self.assertRegex(line, r"(?i)shar", f"the idea is the session's record: {line}")
                self.assertNotRegex(line, r"(?i)new idea")
        self.assertNotRegex(daily_md, r"(?i)experience.sharing")
        self.assertRegex([l for l in daily_md.split("\n") if "先找物业要租户名单" in l][0],
                         r"(?i)idea")
        # and back
        self.on_ok(DAY2, "meeting", "kind", "daily", "--date", DAY2)
        self.assertEqual(self.report_json(DAY2)["kind"], "daily")

    def test_unknown_meeting_kind_is_refused(self):
        self.build()
        err = self.assertNothingWritten(
            lambda: self.on(DAY2, "meeting", "kind", "party", "--date", DAY2), "party")
        self.assertIn("sharing", err)


class DemoMeetingsTest(FieldbookTestCase):

    def test_demo_archives_closed_and_approved_meetings(self):
        self.fb_ok("demo")
        out, err = self.fb_ok("meeting", "list", "--format", "json")
        rows = json.loads(out)
        statuses = {r["status"] for r in rows}
        self.assertIn("closed", statuses)
        self.assertIn("approved", statuses)
        today = [r for r in rows if r["day"] == "2026-11-26"]
        self.assertEqual(len(today), 1, rows)
        self.assertEqual(today[0]["status"], "open")
        self.assertTrue(all(r["day"] < "2026-11-26" for r in rows
                            if r["status"] in ("closed", "approved")))
        # every archive is intact: its sha256 is that of its text (read with sqlite3)
        archives = self.sql("SELECT day, markdown, sha256, approval_comment, approved_at "
                            "FROM meeting WHERE closed_at IS NOT NULL")
        self.assertGreaterEqual(len(archives), 2)
        for day, markdown, sha, comment, approved_at in archives:
            self.assertEqual(sha, hashlib.sha256(markdown.encode("utf-8")).hexdigest(), day)
            self.assertIn(day, markdown.split("\n")[0])
            if approved_at:
                self.assertTrue(comment)
        approved = sorted(r["day"] for r in rows if r["status"] == "approved")[0]
        out, err = self.fb_ok("meeting", "show", "--date", approved)
        (markdown, sha, comment), = self.sql(
            "SELECT markdown, sha256, approval_comment FROM meeting WHERE day = ?", (approved,))
        self.assertTrue(out.startswith(markdown))
        self.assertIn(sha, out)
        self.assertIn(comment, out[len(markdown):])
        # the text table says the same
        out, err = self.fb_ok("meeting", "list")
        self.assertRegex(out, r"(?m)^2026-11-26\s+\S+\s+open\s")
        self.assertRegex(out, r"(?m)\sapproved\s")
        self.assertRegex(out, r"(?m)\sclosed\s")


class MoneyTest(MeetingCase):
    """The day's money, computed by hand from the scenario:
    day 1: li's order #1 at 西部物流, 2000.00, due on day 1, nothing paid;
    day 2: zhang's order #2 at 锦城律师事务所, 1280.00 paid up front (one payment); li collects
    800.00 of order #1 (1200.00 left, due since day 1: past due) and has a collection call
    for Monday, the next working day."""

    def setUp(self):
        super().setUp()
        self.build()

    @staticmethod
    def money(orders=0, ordered=0, payments=0, collected=0, past_due=0, past_due_cents=0,
              calls=0):
        return {"orders": orders, "ordered_cents": ordered, "payments": payments,
                "collected_cents": collected, "past_due": past_due,
                "past_due_cents": past_due_cents, "collection_calls": calls}

    def test_json_money_of_day_2_field_by_field(self):
        d = self.report_json(DAY2)
        reps = {r["rep"]: r for r in d["reps"]}
        self.assertEqual(reps["zhang"]["money"],
                         self.money(orders=1, ordered=128000, payments=1, collected=128000))
        self.assertEqual(reps["li"]["money"],
                         self.money(payments=1, collected=80000, past_due=1,
                                    past_due_cents=200000 - 80000, calls=1))
        self.assertEqual(d["totals"]["money"],
                         self.money(orders=1, ordered=128000, payments=2,
                                    collected=128000 + 80000, past_due=1,
                                    past_due_cents=120000, calls=1))
        self.assertEqual(d["orders"], [{"id": 2, "customer": "锦城律师事务所", "rep": "zhang",
                                        "amount_cents": 128000, "paid_cents": 128000}])
        self.assertEqual(d["orders_not_recorded"], [], "both order outcomes have their order")

    def test_json_money_of_day_1_reads_that_day(self):
        # On day 1 the order was taken and due that same day: not yet past due, and the
        # payment of day 2 is not counted.
        d = self.report_json(DAY1, on_day=DAY2)
        reps = {r["rep"]: r for r in d["reps"]}
        self.assertEqual(reps["li"]["money"], self.money(orders=1, ordered=200000))
        self.assertEqual(reps["zhang"]["money"], self.money())
        self.assertEqual(d["totals"]["money"], self.money(orders=1, ordered=200000))
        self.assertEqual(d["orders"], [{"id": 1, "customer": "西部物流", "rep": "li",
                                        "amount_cents": 200000, "paid_cents": 0}])

    def test_txt_and_md_money_lines(self):
        txt = self.report(DAY2, "txt")
        md = self.report(DAY2, "md")
        li = ("orders 0 (0.00) · collected 1 (800.00) · past due 1 (1200.00) · "
              "collection calls 1")
        zhang = ("orders 1 (1280.00) · collected 1 (1280.00) · past due 0 (0.00) · "
                 "collection calls 0")
        team = ("orders 1 (1280.00) · collected 2 (2080.00) · past due 1 (1200.00) · "
                "collection calls 1")
        self.assertIn(f"\n  money: {li}\n", txt)
        self.assertIn(f"\n  money: {zhang}\n", txt)
        self.assertIn(f"\nMoney: {team}\n", txt)
        self.assertIn(f"\nTeam: visits 7 (quota 18) · refused 1 · absent 2 · contact 1 · "
                      f"interest 1 · intent 1 · order 1\nMoney: {team}\n", txt)
        self.assertIn("\nOrder: #2 锦城律师事务所 (zhang) 1280.00, paid\n", txt)
        self.assertNotIn("Flag:", txt)
        self.assertIn(f"\nMoney: {li}\n\n", md)
        self.assertIn(f"\nMoney: {zhang}\n\n", md)
        self.assertIn(f"\nMoney: {team}\n\n", md)
        # "#" is escaped in the Markdown, as any punctuation of free text
        self.assertIn("\n- order \\#2 锦城律师事务所 (zhang) 1280.00, paid\n", md)
        self.assertNotIn("Flagged", md)

    def test_a_payment_counts_for_the_rep_who_took_it_else_for_the_orders(self):
        # Payments recorded before they named who took them count for the order's rep; one
        # that names its rep counts for them.
        con = sqlite3.connect(self.db)
        with con:
            (zhang,), = con.execute("SELECT id FROM rep WHERE handle = 'zhang'").fetchall()
            con.execute("UPDATE payment SET rep_id = ? WHERE amount_cents = 80000", (zhang,))
        con.close()
        d = self.report_json(DAY2)
        reps = {r["rep"]: r for r in d["reps"]}
        self.assertEqual((reps["zhang"]["money"]["payments"],
                          reps["zhang"]["money"]["collected_cents"]), (2, 208000))
        self.assertEqual((reps["li"]["money"]["payments"], reps["li"]["money"]["past_due"]),
                         (0, 1), "the balance is still li's order's")

    def test_a_cancelled_order_counts_until_the_day_it_was_cancelled(self):
        con = sqlite3.connect(self.db)
        with con:
            con.execute("UPDATE orders SET cancelled_day = ?, cancel_reason = '客户退货' "
                        "WHERE id = 1", (DAY2,))
        con.close()
        # The day it was taken reads as it stood that evening: taken, and not yet cancelled.
        self.assertEqual(self.report_json(DAY1, on_day=DAY2)["totals"]["money"]["orders"], 1)
        d = self.report_json(DAY2)
        self.assertEqual(d["totals"]["money"],
                         self.money(orders=1, ordered=128000, payments=1, collected=128000,
                                    calls=1))
        # and a cancelled order's visit is not flagged: the order was recorded
        day1 = self.report_json(DAY1, on_day=DAY2)
        self.assertEqual([o["id"] for o in day1["orders"]], [1])
        self.assertEqual(day1["orders_not_recorded"], [])
        self.assertEqual(self.meeting_list(DAY2)[DAY1]["orders"], 1)
        # Cancelled the day it was taken, it was never that day's order.
        con = sqlite3.connect(self.db)
        with con:
            con.execute("UPDATE orders SET cancelled_day = ? WHERE id = 1", (DAY1,))
        con.close()
        day1 = self.report_json(DAY1, on_day=DAY2)
        self.assertEqual((day1["orders"], day1["orders_not_recorded"]), ([], []))
        self.assertEqual(day1["totals"]["money"]["orders"], 0)
        self.assertEqual(self.meeting_list(DAY2)[DAY1]["orders"], 0)


class OrderOutcomeTest(MeetingCase):
    """A visit's outcome "order" is what the rep said; the order record is what counts."""

    def test_order_outcome_without_an_order_is_flagged_and_after_sales_is_not(self):
        # zhang says two orders and records one; li records an order for zhang's other
        # customer (not zhang's record); li's after-sales call with outcome order is no sale.
        self.on_ok(DAY1, "visit", "add", "甲公司", "--outcome", "order", "--at", f"{DAY1} 09:00",
                   who="zhang")
        self.on_ok(DAY1, "visit", "add", "乙公司", "--outcome", "order", "--at", f"{DAY1} 10:00",
                   who="zhang")
        self.on_ok(DAY1, "order", "add", "乙公司", "--amount", "300", who="zhang")
        self.on_ok(DAY1, "order", "add", "甲公司", "--amount", "50", who="li")
        self.on_ok(DAY1, "visit", "add", "丙公司", "--outcome", "order", "--kind", "after-sales",
                   "--at", f"{DAY1} 11:00", who="li")
        d = self.report_json(DAY1)
        visits = {v["customer"]: v["id"] for r in d["reps"] for v in r["visits"]}
        self.assertEqual(d["orders_not_recorded"],
                         [{"visit_id": visits["甲公司"], "customer": "甲公司", "rep": "zhang"}])
        self.assertEqual(sorted(x["customer"] for x in d["intents_and_orders"]),
                         ["乙公司", "甲公司"], "the after-sales call is not a sale")
        self.assertEqual(d["totals"]["money"]["orders"], 2, "the two order records")
        self.assertEqual(d["totals"]["money"]["ordered_cents"], 35000)
        txt = self.report(DAY1, "txt")
        self.assertIn(f"\nFlag: 甲公司 (zhang, visit #{visits['甲公司']}): order outcome, "
                      "no order recorded\n", txt)
        self.assertNotIn("丙公司 (li, visit", txt)
        md = self.report(DAY1, "md")
        self.assertIn(f"Flagged:\n\n- 甲公司 (zhang, visit \\#{visits['甲公司']}): order "
                      "outcome, no order recorded\n", md)
        # meeting list counts the order records, not the outcomes (three said, two recorded)
        self.assertEqual(self.meeting_list(DAY1)[DAY1]["orders"], 2)

    def test_meeting_list_counts_a_day_with_only_an_order(self):
        self.on_ok(DAY1, "customer", "add", "甲公司")
        self.on_ok(DAY1, "order", "add", "甲公司", "--amount", "50", who="li")
        self.assertEqual({k: v for k, v in self.meeting_list(DAY1)[DAY1].items() if k != "kind"},
                         {"day": DAY1, "status": "open", "reps": 0, "visits": 0, "intents": 0,
                          "orders": 1, "notes": 0})

    def test_a_manager_gets_no_quota_unless_planned(self):
        self.on_ok(DAY1, "visit", "add", "甲公司", "--outcome", "contact", "--at", f"{DAY1} 09:00")
        self.on_ok(DAY1, "visit", "add", "乙公司", "--outcome", "contact", "--at", f"{DAY1} 10:00",
                   who="zhang")
        txt = self.report(DAY1, "txt")
        self.assertIn("\nwang 王建林 — done 1\n", txt)
        self.assertIn("\nzhang 张伟 — no quota, done 1\n", txt)
        # named, a manager has a quota like anyone
        self.on_ok(DAY1, "meeting", "plan", "--rep", "wang", "--visits", "3", "--for", DAY2)
        self.on_ok(DAY2, "visit", "add", "丙公司", "--outcome", "contact",
                   "--at", f"{DAY2} 09:00")
        self.assertIn("\nwang 王建林 — quota 3, done 1\n", self.report(DAY2, "txt"))


class KeepsItsWordTest(MeetingCase):

    def test_plan_after_the_day_before_is_archived_warns_and_is_kept(self):
        self.build()
        self.on_ok(DAY2, "meeting", "close", "--date", DAY2, time="18:30:00")
        out, err = self.on_ok(DAY2, "meeting", "plan", "--rep", "zhang", "--visits", "11",
                              time="18:40:00")
        self.assertIn(f"warning: the plans for {MONDAY} have changed since the summary of {DAY2} "
                      "was closed", err)
        self.assertIn(f"meeting report --date {DAY2}", err)
        self.assertIn(("zhang", 11), [(p["rep"], p["visits"])
                                       for p in self.report_json(DAY2)["plans_next_day"]])
        # the archive keeps the plan it was closed with
        shown, _ = self.on_ok(DAY2, "meeting", "show", "--date", DAY2, time="19:00:00")
        self.assertIn("| zhang | 张伟 | 9 |", shown)
        # a plan for a day whose summary is open says nothing
        out, err = self.on_ok(DAY2, "meeting", "plan", "--rep", "zhang", "--visits", "4",
                              "--for", TUESDAY, time="18:45:00")
        self.assertNotIn("warning", err)
        # and the closed day itself takes no plan at all
        self.assertUsageError(self.on(DAY2, "meeting", "plan", "--rep", "zhang", "--visits", "1",
                                      "--for", DAY2, time="18:50:00"), "closed")

    def test_closing_an_empty_day_needs_empty(self):
        err = self.assertNothingWritten(
            lambda: self.on(DAY1, "meeting", "close", "--date", DAY1), "--empty", day=DAY1)
        self.assertIn(f"{DAY1} has no visits and no notes", err)
        # a quota alone is not a record of the day
        self.on_ok(DAY1, "meeting", "plan", "--rep", "zhang", "--visits", "3", "--for", DAY1)
        self.assertUsageError(self.on(DAY1, "meeting", "close", "--date", DAY1), "--empty")
        self.on_ok(DAY1, "meeting", "close", "--date", DAY1, "--empty")
        self.assertEqual(self.meeting_list(DAY1)[DAY1]["status"], "closed")
        # a day with a note is not empty
        self.on_ok(DAY2, "meeting", "note", "--kind", "manager", "今天开会培训")
        self.on_ok(DAY2, "meeting", "close", "--date", DAY2)

    def test_note_without_text_and_without_a_terminal_fails(self):
        err = self.assertNothingWritten(
            lambda: self.on(DAY1, "meeting", "note", "--kind", "idea", who="zhang",
                            ), "TEXT", day=DAY1)
        self.assertIn("missing", err)

    def editor_script(self, body):
        path = os.path.join(self.tmp, "editor.sh")
        with open(path, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, 0o755)
        return path

    def test_note_without_text_on_a_terminal_is_written_in_the_editor(self):
        # "$1" is the file; the words before it come from the variable, as with "code --wait"
        script = self.editor_script('[ "$1" = "--wait" ] || exit 3\n'
                                    'printf "扫楼前先查租户名单\\n" > "$2"\n')
        code, transcript, _ = self.fb_pty(
            "--as", "zhang", "meeting", "note", "--kind", "idea",
            env={**at(DAY1), "EDITOR": f"{script} --wait"}, unset=("VISUAL",))
        self.assertEqual(code, 0, transcript)
        d = self.report_json(DAY1)
        self.assertEqual([r["ideas"] for r in d["reps"] if r["rep"] == "zhang"],
                         [["扫楼前先查租户名单"]])
        # VISUAL comes before EDITOR
        visual = self.editor_script('printf "VISUAL写的" > "$1"\n')
        code, transcript, _ = self.fb_pty(
            "--as", "zhang", "meeting", "note", "--kind", "self-review",
            env={**at(DAY1), "VISUAL": visual, "EDITOR": f"{script} --wait"})
        self.assertEqual(code, 0, transcript)
        d = self.report_json(DAY1)
        self.assertEqual([r["self_review"] for r in d["reps"] if r["rep"] == "zhang"],
                         [["VISUAL写的"]])

    def test_a_note_left_empty_in_the_editor_writes_nothing(self):
        script = self.editor_script(': > "$1"\n')
        before = self.db_snapshot()
        code, transcript, _ = self.fb_pty(
            "--as", "zhang", "meeting", "note", "--kind", "idea",
            env={**at(DAY1), "EDITOR": script}, unset=("VISUAL",))
        self.assertEqual(code, 2, transcript)
        self.assertIn("the note is empty; nothing written", transcript)
        self.assertEqual(self.db_snapshot(), before)
        # an editor that fails writes nothing either
        failing = self.editor_script('printf "半截" > "$1"; exit 1\n')
        code, transcript, _ = self.fb_pty(
            "--as", "zhang", "meeting", "note", "--kind", "idea",
            env={**at(DAY1), "EDITOR": failing}, unset=("VISUAL",))
        self.assertEqual(code, 2, transcript)
        self.assertIn("failed (exit 1)", transcript)
        self.assertEqual(self.db_snapshot(), before)


if __name__ == "__main__":
    unittest.main()
