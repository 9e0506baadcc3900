"""Export to files and spreadsheets: --output, --excel and --format xlsx.

`--output FILE` gets the same bytes stdout would, in a new file of mode 0600, put in place only
when the command succeeds (a failed command leaves an existing file as it was and no temporary
behind); a write error (/dev/full, for --output and for plain stdout) exits 1 naming the file
and the reason. `--format csv --excel` is read back with Python's csv module: a BOM, formula
triggers (= + - @ tab CR) quoted with ', numbers in numeric columns left alone. `--format xlsx`
is opened with zipfile and xml.etree (an independent reader): header, shared strings in Chinese,
typed number and date cells, and text such as =1+1 stored as a string, never a formula.
"""

import csv
import datetime
import io
import os
import re
import sqlite3
import stat
import subprocess
import unittest
import xml.etree.ElementTree as ET
import zipfile

from fbtest import BIN, FieldbookTestCase, TODAY

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

# Each note as typed, and how a spreadsheet-safe CSV must carry it.
NOTES = {
    "=1+1": "'=1+1",
    "+1": "'+1",
    "-1": "'-1",
    "@SUM(A1)": "'@SUM(A1)",
    "\tindent": "'\tindent",
    "\rreturn": "'\rreturn",
    "plain note": "plain note",
    "_x0041_ 型号": "_x0041_ 型号",
    "前台收下目录，下周回访": "前台收下目录，下周回访",
}


def unescape_ooxml(text):
    """Undoes the _xHHHH_ escapes that Office Open XML uses for characters XML cannot carry
    (a carriage return is stored as _x000D_), as a spreadsheet application does."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def excel_serial(day):
    """Excel's day number (1900 date system) of a YYYY-MM-DD day."""
    return (datetime.date.fromisoformat(day) - datetime.date(1899, 12, 30)).days


class ExportCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()
        self.out_dir = os.path.join(self.tmp, "out")
        os.mkdir(self.out_dir)

    def out_path(self, name):
        return os.path.join(self.out_dir, name)

    def add_noted_visits(self):
        """A visit for each note. A CR alone cannot be typed any more (fieldbook(1)), but a
        store written before that rule may hold one: that note is put in place with sqlite3."""
        ids = {}
        for note in NOTES:
            typed = "placeholder" if "\r" in note else note
            ids[note] = self.add_visit("蓝海数据科技有限公司", f"--note={typed}")
            if typed != note:
                con = sqlite3.connect(self.db)
                with con:
                    con.execute("UPDATE visit SET note = ? WHERE id = ?", (note, ids[note]))
                con.close()
        return ids


class OutputTest(ExportCase):

    def setUp(self):
        super().setUp()
        self.add_visit("蓝海数据科技有限公司", "--note=前台收下目录")
        self.add_visit("锦程贸易", "--note=要硒鼓报价", outcome="interest")

    def test_same_bytes_as_stdout_in_a_new_private_file(self):
        for fmt in ("csv", "json", "table", "tsv", "md"):
            with self.subTest(format=fmt):
                path = self.out_path(f"visits.{fmt}")
                code, stdout, err = self.fb_bytes("visit", "list", "--format", fmt,
                                                  "--output", path, umask=0o022)
                self.assertEqual(code, 0, err)
                self.assertEqual(stdout, b"")
                _, expected, _ = self.fb_bytes("visit", "list", "--format", fmt)
                with open(path, "rb") as f:
                    self.assertEqual(f.read(), expected)
                self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(sorted(os.listdir(self.out_dir)),
                         sorted(f"visits.{f}" for f in ("csv", "json", "table", "tsv", "md")))

    def test_global_option_before_the_command(self):
        path = self.out_path("customers.csv")
        self.fb_ok("--output", path, "--format", "csv", "customer", "list")
        with open(path, encoding="utf-8", newline="") as f:
            names = {r["name"] for r in csv.DictReader(f)}
        self.assertEqual(names, {"蓝海数据科技有限公司", "锦程贸易"})

    def test_existing_file_is_replaced_on_success(self):
        path = self.out_path("visits.csv")
        with open(path, "w") as f:
            f.write("old\n")
        self.fb_ok("visit", "list", "--format", "csv", "--output", path)
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 2)
        self.assertEqual(os.listdir(self.out_dir), ["visits.csv"])

    def test_failed_command_leaves_the_file_untouched_and_no_temporary(self):
        path = self.out_path("visits.csv")
        with open(path, "w") as f:
            f.write("old\n")
        for bad in (["--on", "someday"], ["--customer", "无此公司"]):
            with self.subTest(args=bad):
                code, out, err = self.fb("visit", "list", *bad, "--format", "csv",
                                         "--output", path)
                self.assertIn(code, (1, 2), err)
                self.assertIn("fieldbook: error:", err)
                self.assertEqual(out, "")
                with open(path) as f:
                    self.assertEqual(f.read(), "old\n")
                self.assertEqual(os.listdir(self.out_dir), ["visits.csv"])

    def test_check_that_fails_after_listing(self):
        # `visit script --check` lists every script, then fails if one is over its limit: on
        # stdout the listing stays, while an --output file is not replaced by it.
        self.write_template("scripts.toml",
                            '[[script]]\nname = "too-long"\nlimit_seconds = 5\n'
                            'text = "您好，打扰一下！我是蓉城办公的小王，我们是成都本地的办公用品经销商。"\n')
        code, out, err = self.fb("visit", "script", "--check", "--format", "csv")
        self.assertEqual(code, 2, err)
        self.assertIn("too-long", out)
        path = self.out_path("scripts.csv")
        with open(path, "w") as f:
            f.write("old\n")
        code, out, err = self.fb("visit", "script", "--check", "--format", "csv", "--output", path)
        self.assertEqual(code, 2, err)
        self.assertIn("too-long", err)
        self.assertEqual(out, "")
        with open(path) as f:
            self.assertEqual(f.read(), "old\n")
        self.assertEqual(os.listdir(self.out_dir), ["scripts.csv"])

    def test_failed_command_creates_no_file(self):
        path = self.out_path("visits.csv")
        self.assertUsageError(self.fb("visit", "list", "--on", "someday", "--output", path),
                              "--on")
        self.assertEqual(os.listdir(self.out_dir), [])

    def test_write_error_exits_1_naming_the_file(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        self.assertFailure(self.fb("visit", "list", "--format", "csv", "--output", "/dev/full"),
                           "/dev/full", "No space left on device")

    def test_write_error_on_stdout_exits_1(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        with open("/dev/full", "wb") as full:
            proc = subprocess.run([BIN, "visit", "list", "--format", "csv"], stdout=full,
                                  stderr=subprocess.PIPE, env=self.make_env(), cwd=self.tmp,
                                  timeout=60)
        err = proc.stderr.decode("utf-8")
        self.assertEqual(proc.returncode, 1, err)
        self.assertIn("fieldbook: error: cannot write standard output: No space left on device",
                      err)

    def test_help_and_version_to_a_full_device_exit_1(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        for args in (["--help"], ["--version"], ["visit", "--help"], ["visit", "list", "--help"],
                     ["import", "customers", "--help"], ["-h"]):
            # The same text to a pipe is the success it should be: only the write fails.
            code, out, err = self.fb(*args)
            self.assertEqual((code, err), (0, ""), args)
            self.assertTrue(out.strip(), args)
            with open("/dev/full", "wb") as full:
                proc = subprocess.run([BIN, *args], stdout=full, stderr=subprocess.PIPE,
                                      env=self.make_env(), cwd=self.tmp, timeout=60)
            err = proc.stderr.decode("utf-8")
            self.assertEqual(proc.returncode, 1, (args, err))
            self.assertEqual(err, "fieldbook: error: cannot write standard output: "
                                  "No space left on device\n", args)

    def test_fifo_is_written_directly(self):
        fifo = self.out_path("pipe")
        os.mkfifo(fifo)
        reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
        try:
            code, out, err = self.fb("visit", "list", "--format", "csv", "--output", fifo)
            data = reader.communicate(timeout=60)[0]
        finally:
            if reader.poll() is None:
                reader.kill()
                reader.wait()
        self.assertEqual(code, 0, err)
        self.assertEqual(data.decode("utf-8"), self.fb_ok("visit", "list", "--format", "csv")[0])
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))

    def test_the_store_itself_is_never_the_output(self):
        wal = self.db + "-wal"
        link = os.path.join(self.tmp, "link.db")
        os.symlink(self.db, link)
        for target in (self.db, wal, link, os.path.relpath(self.db, self.tmp)):
            before = self.db_snapshot()
            code, out, err = self.fb("visit", "list", "--format", "csv", "--output", target,
                                     cwd=self.tmp)
            self.assertEqual(code, 2, f"{target}: {err}")
            self.assertIn("is the store's own file", err)
            self.assertEqual(self.db_snapshot(), before)
        self.assertEqual(len(self.json_rows("visit", "list")), 2, "the store still reads")

    def test_the_file_imported_is_never_the_output(self):
        path = self.out_path("leads.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("name,industry\n新线索有限公司,教育\n")
        before = open(path, "rb").read()
        self.assertUnchangedBy(lambda: self.fb("import", "customers", path, "--output", path))
        self.assertEqual(open(path, "rb").read(), before)

    def test_missing_directory_exits_1(self):
        path = os.path.join(self.tmp, "no-such-dir", "visits.csv")
        self.assertFailure(self.fb("visit", "list", "--output", path), path)

    def test_table_to_a_file_has_no_colour_even_from_a_terminal(self):
        path = self.out_path("visits.txt")
        code, _, _ = self.fb_pty("visit", "list", "--output", path, unset=("NO_COLOR",))
        self.assertEqual(code, 0)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn("\x1b[", text)
        self.assertIn("蓝海数据科技有限公司", text)


class ExcelCsvTest(ExportCase):

    def read_excel_csv(self, *args):
        code, out, err = self.fb_bytes(*args, "--format", "csv", "--excel")
        self.assertEqual(code, 0, err.decode("utf-8"))
        self.assertTrue(out.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark")
        self.assertFalse(out[3:].startswith(b"\xef\xbb\xbf"), "two byte order marks")
        return list(csv.DictReader(io.StringIO(out[3:].decode("utf-8"), newline="")))

    def test_formula_triggers_are_quoted_and_text_is_kept(self):
        ids = self.add_noted_visits()
        rows = {int(r["id"]): r for r in self.read_excel_csv("visit", "list")}
        for note, expected in NOTES.items():
            with self.subTest(note=note):
                row = rows[ids[note]]
                self.assertEqual(row["note"], expected)
                self.assertEqual(row["id"], str(ids[note]))
                self.assertEqual(row["day"], TODAY)

    def test_plain_csv_is_unchanged(self):
        ids = self.add_noted_visits()
        out, _ = self.fb_ok("visit", "list", "--format", "csv")
        self.assertFalse(out.startswith("\ufeff"))
        rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(out, newline=""))}
        for note in NOTES:
            self.assertEqual(rows[ids[note]]["note"], note)

    def test_numbers_in_numeric_columns_are_data(self):
        # No listing can hold a negative amount (orders are worth more than 0, profit ranks
        # only what made a profit), so the "-12.50" case is covered by the unit tests.
        self.fb_ok("customer", "add", "锦程贸易")
        self.fb_ok("order", "add", "锦程贸易", "--amount", "1,280.50", "--due", "+10d",
                   "--note=-5% 首单优惠")
        rows = self.read_excel_csv("order", "list")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["amount"], "1280.50")
        self.assertEqual(rows[0]["overdue_days"], "0")
        self.assertEqual(rows[0]["customer"], "锦程贸易")
        self.assertEqual(rows[0]["note"], "'-5% 首单优惠")

    def test_excel_to_a_file(self):
        ids = self.add_noted_visits()
        path = self.out_path("visits.csv")
        self.fb_ok("visit", "list", "--format", "csv", "--excel", "--output", path)
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = {int(r["id"]): r for r in csv.DictReader(f)}
        self.assertEqual(rows[ids["=1+1"]]["note"], "'=1+1")

    def test_excel_needs_csv(self):
        self.add_visit("蓝海数据科技有限公司")
        for args in (["--excel"], ["--excel", "--format", "json"],
                     ["--excel", "--format", "xlsx", "--output", self.out_path("v.xlsx")]):
            with self.subTest(args=args):
                self.assertUsageError(self.fb("visit", "list", *args), "--excel",
                                      "--format csv")
        self.assertEqual(os.listdir(self.out_dir), [])


class XlsxTest(ExportCase):

    def read_xlsx(self, path):
        """(header, rows, sheet root, styles root) with every cell as (type, value, style)."""
        with zipfile.ZipFile(path) as z:
            self.assertIsNone(z.testzip())
            strings = []
            if "xl/sharedStrings.xml" in z.namelist():
                for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
                    strings.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
            sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
            styles = ET.fromstring(z.read("xl/styles.xml"))
        table = []
        for row in sheet.find("m:sheetData", NS).findall("m:row", NS):
            cells = {}
            for c in row.findall("m:c", NS):
                self.assertIsNone(c.find("m:f", NS), f"cell {c.get('r')} holds a formula")
                column = "".join(ch for ch in c.get("r") if ch.isalpha())
                kind = c.get("t", "n")
                v = c.find("m:v", NS)
                value = v.text if v is not None else None
                if kind == "s":
                    value = unescape_ooxml(strings[int(value)])
                cells[column] = (kind, value, int(c.get("s", "0")))
            table.append(cells)
        return table, sheet, styles

    def column_letter(self, header, name):
        for letter, (_, value, _) in header.items():
            if value == name:
                return letter
        self.fail(f"no column {name} in {header}")

    def number_format(self, styles, style_index):
        xf = styles.find("m:cellXfs", NS).findall("m:xf", NS)[style_index]
        fmt_id = xf.get("numFmtId")
        for nf in styles.iter(f"{{{NS['m']}}}numFmt"):
            if nf.get("numFmtId") == fmt_id:
                return nf.get("formatCode")
        return fmt_id

    def is_bold(self, styles, style_index):
        xf = styles.find("m:cellXfs", NS).findall("m:xf", NS)[style_index]
        font = styles.find("m:fonts", NS).findall("m:font", NS)[int(xf.get("fontId", "0"))]
        return font.find("m:b", NS) is not None

    def test_visit_list_as_a_workbook(self):
        ids = self.add_noted_visits()
        path = self.out_path("visits.xlsx")
        code, out, err = self.fb("visit", "list", "--format", "xlsx", "--output", path,
                                 umask=0o022)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(os.listdir(self.out_dir), ["visits.xlsx"])

        table, sheet, styles = self.read_xlsx(path)
        header = table[0]
        expected_header = list(self.json_rows("visit", "list")[0].keys())
        self.assertEqual([v for _, v, _ in header.values()], expected_header)
        for kind, _, style in header.values():
            self.assertEqual(kind, "s")
            self.assertTrue(self.is_bold(styles, style), "header cells are bold")
        pane = sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
        self.assertIsNotNone(pane, "no frozen pane")
        self.assertEqual(pane.get("state"), "frozen")
        self.assertEqual(pane.get("ySplit"), "1")

        id_col = self.column_letter(header, "id")
        day_col = self.column_letter(header, "day")
        note_col = self.column_letter(header, "note")
        customer_col = self.column_letter(header, "customer")
        rows = {}
        for r in table[1:]:
            kind, value, _ = r[id_col]
            self.assertEqual(kind, "n", "id is a number cell")
            rows[int(float(value))] = r
        self.assertEqual(set(rows), set(ids.values()))
        for note, visit_id in ids.items():
            with self.subTest(note=note):
                r = rows[visit_id]
                self.assertEqual(r[note_col][:2], ("s", note))
                kind, value, style = r[day_col]
                self.assertEqual(kind, "n", "a day is a date cell (a number)")
                self.assertEqual(int(float(value)), excel_serial(TODAY))
                self.assertIn("yy", self.number_format(styles, style).lower())
                self.assertEqual(r[customer_col][:2], ("s", "蓝海数据科技有限公司"))

        widths = {}
        for col in sheet.find("m:cols", NS).findall("m:col", NS):
            widths[int(col.get("min"))] = float(col.get("width"))
        customer_index = ord(customer_col) - ord("A") + 1
        # 蓝海数据科技有限公司 is ten CJK characters, twenty columns wide.
        self.assertGreaterEqual(widths[customer_index], 20)

    def test_amounts_and_due_days_are_typed(self):
        self.fb_ok("customer", "add", "锦程贸易")
        self.fb_ok("order", "add", "锦程贸易", "--amount", "1,280.50", "--due", "+10d")
        path = self.out_path("orders.xlsx")
        self.fb_ok("order", "list", "--format", "xlsx", "--output", path)
        table, _, styles = self.read_xlsx(path)
        self.assertEqual(len(table), 2)
        header, row = table
        amount = row[self.column_letter(header, "amount")]
        self.assertEqual(amount[0], "n")
        self.assertEqual(float(amount[1]), 1280.50)
        kind, value, style = row[self.column_letter(header, "due")]
        self.assertEqual(kind, "n")
        self.assertEqual(int(float(value)), excel_serial("2026-12-06"))
        self.assertIn("yy", self.number_format(styles, style).lower())
        self.assertEqual(row[self.column_letter(header, "customer")][:2], ("s", "锦程贸易"))

    def test_xlsx_needs_output(self):
        self.assertUsageError(self.fb("visit", "list", "--format", "xlsx"), "--output")

    def test_xlsx_refuses_a_terminal(self):
        code, transcript, _ = self.fb_pty("visit", "list", "--format", "xlsx", "--output",
                                          "/dev/stdout")
        self.assertEqual(code, 2, transcript)
        self.assertIn("terminal", transcript)

    def test_command_without_a_listing(self):
        path = self.out_path("path.xlsx")
        self.assertFailure(self.fb("db", "path", "--format", "xlsx", "--output", path),
                           "xlsx")
        self.assertEqual(os.listdir(self.out_dir), [])

    def test_a_command_that_records_writes_nothing(self):
        path = self.out_path("visit.xlsx")
        self.assertUnchangedBy(lambda: self.fb("visit", "add", "新客户有限公司", "--outcome",
                                               "contact", "--format", "xlsx", "--output", path))
        code, _, err = self.fb("followup", "add", "锦程贸易", "--due", "2026-12-01", "--format",
                               "xlsx", "--output", path)
        self.assertEqual(code, 2, err)
        self.assertIn("--format xlsx is for commands that list rows", err)
        self.assertEqual(os.listdir(self.out_dir), [])

    def test_report_with_formats_of_its_own(self):
        path = self.out_path("meeting.xlsx")
        self.assertUsageError(self.fb("meeting", "report", "--format", "xlsx", "--output", path),
                              "xlsx")
        self.assertEqual(os.listdir(self.out_dir), [])


if __name__ == "__main__":
    unittest.main()
