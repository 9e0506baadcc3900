"""Output formats, read back by independent readers: csv, json, tsv, md and the aligned table
(display width computed here with unicodedata, not by the program), colour, golden tables.

Golden files live in tests/cli/golden/. To regenerate them after an intended change:
    cd tests/cli && FIELDBOOK_UPDATE_GOLDEN=1 FIELDBOOK_BIN=../../build/fieldbook \
        python3 -m unittest test_output
then review `git diff tests/cli/golden` character by character before committing.
"""

import csv
import json
import os
import re
import unicodedata
import unittest

from fbtest import (FieldbookTestCase, ANSI_RE, display_width, json_cell_as_text, parse_csv,
                    positioned)

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")

TRICKY_NOTES = [
    "逗号, 分隔, 的备注",
    '他说"下周再来"',
    "两行\n第二行",
    "Windows 行尾\r\n第二行",
    'all of it: ,"\n\t\\ end',
    "  前后有空格  ",
    "",
]
TRICKY_CUSTOMERS = ["逗号文具店", "引号律师楼", "换行物流", "回车医药", "符号建材市场", "空格茶业",
                    "温江花木基地"]


class TableChecker:
    """Checks an aligned table against the same rows read from --format json."""

    def table_columns(self, text):
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self.assertGreaterEqual(len(lines), 2, "a table has a heading and a rule")
        rule = lines[1]
        self.assertRegex(rule, r"^[─ ]+$", "second line is the rule under the heading")
        spans = [(m.start(), m.end()) for m in re.finditer("─+", rule)]
        # '─' is one column wide, so string offsets in the rule are display columns
        return lines, spans

    def cells(self, line, spans):
        """Cut a line at the column spans (display columns); check nothing straddles a border
        and the gaps between columns are blank."""
        chars = positioned(line)
        cells = ["" for _ in spans]
        for col, ch, w in chars:
            if w == 0:   # a combining mark belongs to the cell of its base character
                placed = False
                for i, (a, b) in enumerate(spans):
                    if a < col <= b:
                        cells[i] += ch
                        placed = True
                self.assertTrue(placed, f"zero-width {ch!r} outside any column in {line!r}")
                continue
            for i, (a, b) in enumerate(spans):
                if a <= col < b:
                    self.assertLessEqual(col + w, b, f"{ch!r} crosses the right edge of "
                                                     f"column {i} in {line!r}")
                    cells[i] += ch
                    break
            else:
                self.assertEqual(ch, " ", f"{ch!r} at display column {col} is outside every "
                                          f"column (misaligned) in {line!r}")
        return cells

    def assertTableMatches(self, text, rows, numeric=("id",)):
        self.assertNotRegex(text, ANSI_RE)
        lines, spans = self.table_columns(text)
        keys = list(rows[0].keys()) if rows else None
        heading = self.cells(lines[0], spans)
        names = [h.strip() for h in heading]
        if keys is not None:
            self.assertEqual(names, keys, "table heading = json keys")
        for h, (a, b) in zip(heading, spans):
            self.assertFalse(h.startswith(" "), "heading starts at its column")
        widths = [0] * len(spans)
        self.assertEqual(len(lines) - 2, len(rows), "one line per row")
        for line, row in zip(lines[2:], rows):
            cells = self.cells(line, spans)
            for i, (cell, key) in enumerate(zip(cells, names)):
                a, b = spans[i]
                value = row[key]
                widths[i] = max(widths[i], display_width(cell.rstrip()))
                if isinstance(value, int) and not isinstance(value, bool):
                    self.assertEqual(cell.strip(), str(value), key)
                    self.assertEqual(display_width(cell), b - a, f"{key} is right-aligned")
                    self.assertFalse(cell.endswith(" "), f"{key} is right-aligned")
                    continue
                # a line break (LF, CR or CRLF) or tab shows as one space
                expected = CONTROL.sub(" ", json_cell_as_text(value).replace("\r\n", "\n"))
                shown = cell.rstrip(" ")
                if expected.strip(" ") == "":
                    self.assertEqual(shown, "", key)
                    continue
                self.assertFalse(shown.startswith(" ") and not expected.startswith(" "),
                                 f"{key} cell {shown!r} does not start at column {a}")
                if shown == expected.rstrip(" "):
                    continue
                self.assertTrue(shown.endswith("…"),
                                f"{key}: {shown!r} is neither {expected!r} nor cut with …")
                kept = shown[:-1]
                self.assertTrue(expected.startswith(kept), f"{key}: {shown!r} vs {expected!r}")
                rest = expected[len(kept):]
                self.assertTrue(rest and not unicodedata.combining(rest[0]),
                                f"{key}: cut inside a grapheme in {shown!r}")
        for i, (a, b) in enumerate(spans):
            header_w = display_width(names[i])
            self.assertEqual(b - a, max(widths[i], header_w),
                             f"rule under {names[i]} is as wide as its widest cell")
        return lines, spans


class FormatsCase(FieldbookTestCase, TableChecker):

    def setUp(self):
        super().setUp()
        self.init_store()
        self.add_rep("lina", "李娜", role="manager")
        self.add_visit("成都办公伙伴公司", "--building", "天府软件园B座", "--floor", "12",
                       "--room", "1203", "--contact", "王芳", "--role", "gatekeeper",
                       "--note", "前台收下了目录", "--next", "+3d", "--at", "2026-11-26 09:00")
        self.add_visit("ACME Ltd", "--building", "Tower 1", "--floor", "3", "--room", "301",
                       "--contact", "Bob", "--role", "purchaser", "--note", "left a catalog",
                       "--at", "2026-11-26 09:10", "--as", "lina")
        for i, note in enumerate(TRICKY_NOTES):
            args = ["--at", f"2026-11-25 1{i}:00"]
            if note:
                args += ["--note", note]
            self.add_visit(TRICKY_CUSTOMERS[i], *args)


class CsvJsonTest(FormatsCase):

    LISTINGS = [
        ["visit", "list"],
        ["visit", "list", "--on", "today"],
        ["visit", "search", "公司"],
        ["customer", "list"],
        ["rep", "list"],
        ["contact", "list", "成都办公伙伴公司"],
    ]

    def test_csv_equals_json_for_every_listing(self):
        for args in self.LISTINGS:
            with self.subTest(args=args):
                code, out, err = self.fb(*args, "--format", "csv")
                self.assertEqual(code, 0, err)
                self.assertEqual(err, "", "data on stdout, nothing on stderr")
                header = next(csv.reader([out.split("\r\n", 1)[0]]))
                rows = self.json_rows(*args)
                self.assertTrue(rows, f"{args} has rows")
                keys = list(rows[0].keys())
                self.assertEqual(header, keys, "CSV header = JSON keys, same order")
                self.assertEqual(header[0], "id", "every listing carries an id column")
                for name in header:
                    self.assertRegex(name, SNAKE)
                for row in rows:
                    self.assertEqual(list(row.keys()), keys, "every object has the same keys")
                    self.assertIsInstance(row["id"], int)
                parsed = parse_csv(out)
                expected = [{k: json_cell_as_text(v) for k, v in row.items()} for row in rows]
                self.assertEqual(parsed, expected)

    def test_csv_is_rfc4180_with_crlf(self):
        out, err = self.fb_ok("visit", "list", "--format", "csv")
        self.assertTrue(out.endswith("\r\n"))
        # outside quoted cells every line ends with CRLF
        outside = re.sub(r'"(?:[^"]|"")*"', '""', out)
        self.assertNotRegex(outside, r"(?<!\r)\n", "bare LF between records")
        self.assertNotIn("\r\r", outside)
        self.assertEqual(outside.count("\r\n"), 1 + len(TRICKY_NOTES) + 2)
        self.assertTrue(out.startswith("id,day,time,rep,customer,"))
        self.assertNotIn("\ufeff", out, "no byte-order mark")

    def test_tricky_cells_round_trip_exactly(self):
        # A line break typed the Windows way (CRLF) is stored as LF (fieldbook(1), text).
        stored = [note.replace("\r\n", "\n") for note in TRICKY_NOTES]
        rows = {r["customer"]: r for r in self.csv_rows("visit", "list")}
        names = TRICKY_CUSTOMERS
        for name, note in zip(names, stored):
            with self.subTest(note=note):
                self.assertEqual(rows[name]["note"], note)
        jrows = {r["customer"]: r for r in self.json_rows("visit", "list")}
        for name, note in zip(names, stored):
            self.assertEqual(jrows[name]["note"], note if note else None)
        out, err = self.fb_ok("visit", "list", "--format", "csv")
        self.assertIn('"他说""下周再来"""', out, "quotes doubled inside a quoted cell")
        self.assertIn('"逗号, 分隔, 的备注"', out)

    def test_json_is_an_array_of_objects(self):
        out, err = self.fb_ok("visit", "list", "--format", "json")
        data = json.loads(out)
        self.assertIsInstance(data, list)
        self.assertEqual(len(data), 2 + len(TRICKY_NOTES))
        for obj in data:
            self.assertIsInstance(obj, dict)
        self.assertEqual(data[0]["customer"], "ACME Ltd")
        self.assertEqual(data[0]["rep"], "lina")
        empty = self.json_rows("visit", "list", "--on", "2020-01-01")
        self.assertEqual(empty, [])
        code, out, err = self.fb("visit", "search", "不存在的词", "--format", "json")
        self.assertEqual((code, json.loads(out)), (0, []))

    def test_empty_csv_has_the_header_only(self):
        out, err = self.fb_ok("visit", "list", "--on", "2020-01-01", "--format", "csv")
        self.assertEqual(out, "id,day,time,rep,customer,building,floor,room,contact,"
                              "contact_role,kind,outcome,next_due,note\r\n")

    def test_tsv_escapes_and_reads_back(self):
        out, err = self.fb_ok("visit", "list", "--format", "tsv")
        self.assertTrue(out.endswith("\n"))
        lines = out.split("\n")[:-1]
        rows = self.json_rows("visit", "list")
        self.assertEqual(len(lines), 1 + len(rows), "one line per row: no raw newlines")
        header = lines[0].split("\t")
        self.assertEqual(header, list(rows[0].keys()))

        def unescape(cell):
            return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r",
                                               "\\": "\\"}[m.group(1)], cell)
        for line, row in zip(lines[1:], rows):
            cells = line.split("\t")
            self.assertEqual(len(cells), len(header), line)
            self.assertNotIn("\r", line)
            self.assertEqual([unescape(c) for c in cells],
                             [json_cell_as_text(row[k]) for k in header])
        self.assertIn("all of it: ,\"\\n\\t\\\\ end", out)

    def test_markdown_table(self):
        out, err = self.fb_ok("visit", "list", "--format", "md")
        lines = out.rstrip("\n").split("\n")
        rows = self.json_rows("visit", "list")
        self.assertEqual(len(lines), 2 + len(rows))
        split = lambda l: [c.strip() for c in re.split(r"(?<!\\)\|", l)[1:-1]]
        self.assertEqual(split(lines[0]), list(rows[0].keys()))
        self.assertTrue(all(re.fullmatch(r":?-{3,}:?", c) for c in split(lines[1])))
        code, out2, err = self.fb("visit", "add", "竖线公司", "--outcome", "contact",
                                  "--note", "a|b")
        self.assertEqual(code, 0, err)
        out, err = self.fb_ok("visit", "list", "--format", "md", "--customer", "竖线公司")
        self.assertIn("a\\|b", out)
        self.assertEqual(len(split(out.split("\n")[2])), len(rows[0]))

    def test_unknown_format_is_a_usage_error(self):
        code, out, err = self.fb("visit", "list", "--format", "xml")
        self.assertUsageError((code, out, err), "xml", "csv", "json")


class TableTest(FormatsCase):

    def test_table_aligns_by_display_width(self):
        out, err = self.fb_ok("visit", "list")
        rows = self.json_rows("visit", "list")
        lines, spans = self.assertTableMatches(out, rows)
        text = "\n".join(lines)
        self.assertIn("成都办公伙伴公司", text)
        self.assertIn("ACME Ltd", text)
        # the customer column starts at the same display column on every line
        cust = [l for l in lines if "成都办公伙伴公司" in l or "ACME Ltd" in l]
        starts = set()
        for line in cust:
            for col, ch, w in positioned(line):
                if ch in "成A" and line[line.index(ch):].startswith(("成都办公", "ACME")):
                    starts.add(col)
                    break
        self.assertEqual(len(starts), 1, f"customer cells start at {starts}")

    def test_mixed_cjk_latin_emoji_combining_cells_align(self):
        self.add_visit("Café Ｘ😀", "--contact", "José", "--note", "表情😀e", "--at",
                       "2026-11-26 08:00")
        self.add_visit("Cafe\u0301 deco", "--contact", "Zoe\u0308", "--note",
                       "e\u0301\u0301 mark", "--at", "2026-11-26 08:10")
        self.add_visit("很长很长很长很长很长很长很长很长很长很长的公司名称有限公司", "--note",
                       "这是一段很长的备注，用来检查截断是否发生在字素边界上，并且加上省略号，"
                       "然后继续写更多更多的文字直到超过宽度", "--at", "2026-11-26 08:20")
        out, err = self.fb_ok("visit", "list")
        self.assertTableMatches(out, self.json_rows("visit", "list"))
        self.assertIn("…", out, "a long cell is cut with …")
        out, err = self.fb_ok("customer", "list")
        self.assertTableMatches(out, self.customers())
        out, err = self.fb_ok("rep", "list")
        self.assertTableMatches(out, self.json_rows("rep", "list"))

    def test_names_are_stored_nfc(self):
        vid = self.add_visit("Cafe\u0301 deco", "--contact", "Zoe\u0308")
        v = self.show_visit(vid)
        self.assertEqual(v["customer"], "Caf\u00e9 deco")
        self.assertEqual(v["contact"], "Zo\u00eb")

    def test_colour_only_when_asked_or_on_a_terminal(self):
        code, out, err = self.fb("--color", "always", "visit", "list")
        self.assertEqual(code, 0, err)
        first = out.split("\n")[0]
        self.assertRegex(first, ANSI_RE, "--color always colours the heading")
        self.assertTableMatches(ANSI_RE.sub("", out), self.json_rows("visit", "list"))
        for args, env in ((["--color", "never"], {}), (["--color", "auto"], {"NO_COLOR": "1"}),
                          ([], {}), ([], {"NO_COLOR": "1"})):
            with self.subTest(args=args, env=env):
                code, out, err = self.fb(*args, "visit", "list", env=env)
                self.assertEqual(code, 0, err)
                self.assertNotRegex(out, ANSI_RE)
                self.assertNotRegex(err, ANSI_RE)
        for fmt in ("csv", "tsv", "json", "md"):
            with self.subTest(fmt=fmt):
                code, out, err = self.fb("--color", "always", "visit", "list", "--format", fmt)
                self.assertEqual(code, 0, err)
                self.assertNotRegex(out, ANSI_RE, f"{fmt} never carries colour codes")

    def test_colour_on_a_terminal_unless_no_color(self):
        code, transcript, _ = self.fb_pty("visit", "list")
        self.assertEqual(code, 0, transcript)
        self.assertRegex(transcript, ANSI_RE, "auto colours on a terminal")
        code, transcript, _ = self.fb_pty("visit", "list", env={"NO_COLOR": "1"})
        self.assertEqual(code, 0, transcript)
        self.assertNotRegex(transcript, ANSI_RE, "NO_COLOR is honoured")
        self.assertIn("成都办公伙伴公司", transcript)
        code, transcript, _ = self.fb_pty("--color", "never", "visit", "list")
        self.assertNotRegex(transcript, ANSI_RE)

    def test_bad_colour_word_is_a_usage_error(self):
        self.assertUsageError(self.fb("--color", "sometimes", "visit", "list"), "sometimes")

    def test_quiet_prints_only_data(self):
        code, out, err = self.fb("-q", "visit", "add", "安静公司", "--outcome", "contact")
        self.assertEqual((code, out, err), (0, "", ""))
        code, out, err = self.fb("visit", "add", "安静公司", "--outcome", "contact", "--quiet")
        self.assertEqual((code, out, err), (0, "", ""))
        self.assertEqual(len(self.json_rows("visit", "list", "--customer", "安静公司")), 2)
        code, out, err = self.fb("-q", "visit", "list", "--format", "csv")
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("id,"))
        # errors are still reported
        code, out, err = self.fb("-q", "visit", "add", "安静公司", "--outcome", "maybe")
        self.assertEqual(code, 2)
        self.assertIn("maybe", err)


class GoldenTest(FieldbookTestCase, TableChecker):
    """Human-facing tables compared character by character with reviewed golden files."""

    def build(self):
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜", role="manager")
        # the team has a manager now: she adds the leader
        self.fb_ok("--as", "lina", "rep", "add", "chenjing", "--name", "陈静", "--role", "leader")
        visits = [
            ("zhangwei", "成都办公伙伴公司", ["--building", "天府软件园B座", "--floor", "12",
                                               "--room", "1203", "--contact", "王芳", "--role",
                                               "gatekeeper", "--next", "+3d"],
             "contact", "前台收下了目录", "2026-11-26 09:00"),
            ("lina", "ACME Ltd", ["--building", "Tower 1", "--floor", "3", "--room", "301",
                                  "--contact", "Bob", "--role", "purchaser"],
             "intent", "wants a quote", "2026-11-26 09:20"),
            ("zhangwei", "Café Ｘ😀", ["--contact", "José"], "absent", "表情😀e",
             "2026-11-25 14:00"),
            ("lina", "Cafe\u0301 deco", ["--contact", "Zoe\u0308"], "refused",
             "e\u0301\u0301 mark", "2026-11-25 15:30"),
            ("zhangwei", "很长很长很长很长很长很长很长很长很长很长的公司名称有限公司", [],
             "interest", "这是一段很长的备注，用来检查截断是否发生在字素边界上，并且加上省略号，"
                         "然后继续写更多更多的文字直到超过宽度", "2026-11-24 10:00"),
            ("zhangwei", "锦城律师事务所", ["--building", "天府软件园B座", "--floor", "13",
                                             "--room", "1301", "--contact", "张律师", "--role",
                                             "decision-maker"],
             "order", "多行\n备注", "2026-11-26 09:40"),
        ]
        for rep, customer, flags, outcome, note, at in visits:
            self.fb_ok("--as", rep, "visit", "add", customer, *flags, "--outcome", outcome,
                       "--note", note, "--at", at)

    def test_golden_tables(self):
        self.build()
        for name, args in (("visit_list.txt", ["visit", "list"]),
                           ("customer_list.txt", ["customer", "list"]),
                           ("rep_list.txt", ["rep", "list"]),
                           ("visit_list_color.txt", ["--color", "always", "visit", "list",
                                                     "--on", "today"])):
            with self.subTest(golden=name):
                out, err = self.fb_ok(*args)
                self.check_golden(name, out)
                # independent of the golden file: the table is aligned
                json_args = [a for a in args if a not in ("--color", "always")]
                self.assertTableMatches(ANSI_RE.sub("", out), self.json_rows(*json_args))


if __name__ == "__main__":
    unittest.main()
