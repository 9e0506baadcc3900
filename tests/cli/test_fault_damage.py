"""Damaged stores: a corrupted header, table page or index page, a truncated, empty or
non-SQLite file, a directory at the store's path. Read commands, write commands and db check
give the documented exit code and message, never crash, and never change the file; damage
marks the store so that writes stop; db recover saves what can be read, into a new file."""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile

from fbtest import BIN, FieldbookTestCase, parse_csv

READS = [["visit", "list"], ["customer", "list"], ["visit", "search", "打印纸"]]
WRITES = [["visit", "add", "损坏测试公司", "--outcome", "contact", "--note", "不该写入"],
          ["rep", "add", "damaged", "--name", "不该写入"]]

DAMAGED = "store is damaged: see `fieldbook db check`"


def page_size(path):
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return con.execute("PRAGMA page_size").fetchone()[0]
    finally:
        con.close()


def pages_of(path, name, kind):
    """(page number, cells) of the `kind` pages (leaf, internal) of a table or index."""
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return con.execute("SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = ? "
                           "ORDER BY pageno", (name, kind)).fetchall()
    finally:
        con.close()


def root_page(path, name):
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                           (name,)).fetchone()[0]
    finally:
        con.close()


def smash_page(path, page):
    """Overwrites the b-tree page header: SQLite sees a page of no known kind."""
    with open(path, "r+b") as f:
        f.seek((page - 1) * page_size(path))
        f.write(b"\xff" * 12)


def content(path):
    if os.path.isdir(path):
        return sorted(os.listdir(path))
    with open(path, "rb") as f:
        return f.read()


BASE = {}


def setUpModule():
    """One demo store for every test of the file (building it is what takes time)."""
    if not os.access(BIN, os.X_OK):
        return
    BASE["dir"] = tempfile.mkdtemp(prefix="fbdamage-")
    BASE["store"] = os.path.join(BASE["dir"], "demo.db")
    env = {k: v for k, v in os.environ.items() if k.endswith("SAN_OPTIONS")}
    env.update({"FIELDBOOK_DB": BASE["store"], "HOME": BASE["dir"], "LANG": "C.UTF-8",
                "FIELDBOOK_NOW": "2026-11-26T10:00:00+08:00", "TZ": "Asia/Shanghai",
                "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    subprocess.run([BIN, "demo", "--visits", "300"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def tearDownModule():
    if "dir" in BASE:
        shutil.rmtree(BASE["dir"], True)


class DemoStoreCase(FieldbookTestCase):
    """The demo store, copied into each test and damaged there."""

    def setUp(self):
        super().setUp()
        shutil.copyfile(BASE["store"], self.db)
        os.chmod(self.db, 0o600)


class DamageTest(DemoStoreCase):

    def assertNoCrash(self, result, args):
        code, out, err = result
        self.assertIn(code, (0, 1, 2), f"{args}: exit {code}\n{err}")
        for sign in ("AddressSanitizer", "runtime error", "terminate called", "Segmentation"):
            self.assertNotIn(sign, err, f"{args}")

    def run_all(self, read_message, write_message, check_message):
        """Reads, db check, then writes; returns what happened, for the report."""
        before = content(self.db)
        seen = []
        for args in READS:
            result = self.fb(*args)
            self.assertNoCrash(result, args)
            if result[0] != 0:
                self.assertFailure(result, *read_message)
            seen.append(result[0])
        result = self.fb("db", "check")
        self.assertNoCrash(result, ["db", "check"])
        self.assertFailure(result, *check_message)
        seen.append(result[0])
        for args in WRITES:
            result = self.fb(*args)
            self.assertNoCrash(result, args)
            self.assertFailure(result, *write_message)
            seen.append(result[0])
        self.assertEqual(content(self.db), before, "the damaged file was not changed")
        return seen, result[2].splitlines()[0]

    def check_marked(self):
        mark = self.db + ".damaged"
        self.assertTrue(os.path.isfile(mark), "the store is marked damaged")
        self.assertEqual(stat.S_IMODE(os.stat(mark).st_mode), 0o600)

    def report(self, what, seen, message):
        print(f"fault: {what} -> exits {seen}, '{message}', file unchanged", file=sys.stderr)

    def test_corrupted_header(self):
        with open(self.db, "r+b") as f:
            f.write(b"Not SQLite at all")
        seen, message = self.run_all([DAMAGED, self.db], [DAMAGED],
                                     ["damaged", self.db, "restore your latest backup"])
        self.check_marked()
        self.report("header overwritten", seen, message)

    def test_corrupted_table_page(self):
        leaves = pages_of(self.db, "visit", "leaf")
        page, cells = leaves[len(leaves) // 2]
        smash_page(self.db, page)
        seen, message = self.run_all([DAMAGED], [DAMAGED],
                                     ["problem", "db recover NEWFILE"])
        check = self.fb("db", "check")
        self.assertIn(f"Page {page}", check[2], "db check names the page as SQLite gives it")
        self.check_marked()
        self.report(f"visit leaf page {page} smashed", seen, message)

    def test_corrupted_index_page_stops_writes(self):
        before = content(self.db)
        page = root_page(self.db, "visit_by_day")
        smash_page(self.db, page)
        code, out, err = self.fb("db", "check")
        self.assertEqual(code, 1, err)
        self.assertIn(f"Page {page}", err)
        self.assertIn("db recover NEWFILE", err)
        self.check_marked()
        result = self.fb("visit", "add", "蓝海科技", "--outcome", "contact", "--note", "不该写入")
        self.assertFailure(result, DAMAGED)
        self.assertNotEqual(content(self.db), before)  # the smash itself
        smashed = content(self.db)
        seen, message = self.run_all([DAMAGED], [DAMAGED],
                                     ["problem", "db recover NEWFILE"])
        self.assertEqual(content(self.db), smashed)
        self.report(f"index visit_by_day root page {page} smashed, db check first", seen,
                    message)

    def test_truncated_file(self):
        os.truncate(self.db, os.path.getsize(self.db) // 2)
        seen, message = self.run_all([DAMAGED], [DAMAGED], ["damaged"])
        self.check_marked()
        self.report("file cut to half its size", seen, message)

    def test_empty_file(self):
        open(self.db, "wb").close()
        seen, message = self.run_all(["not a fieldbook store", "fieldbook init"],
                                     ["not a fieldbook store"], ["not a fieldbook store"])
        self.assertFalse(os.path.exists(self.db + ".damaged"), "an empty file is not damage")
        self.report("empty file", seen, message)

    def test_non_sqlite_file(self):
        with open(self.db, "wb") as f:
            f.write("客户名单\n蓝海科技,天府软件园\n".encode() * 400)
        seen, message = self.run_all([DAMAGED], [DAMAGED], ["damaged"])
        self.report("a CSV file at the store's path", seen, message)

    def test_directory_at_store_path(self):
        os.remove(self.db)
        os.mkdir(self.db)
        seen, message = self.run_all(["is a directory"], ["is a directory"], ["is a directory"])
        self.assertEqual(os.listdir(self.db), [])
        self.report("a directory at the store's path", seen, message)


class RecoverTest(DemoStoreCase):

    def snapshot_by_id(self, path, table):
        con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            return {r[0]: r for r in con.execute(f'SELECT * FROM "{table}"')}
        finally:
            con.close()

    def test_recover_saves_what_can_be_read_and_the_new_store_takes_over(self):
        pristine = os.path.join(self.tmp, "pristine.db")
        shutil.copyfile(self.db, pristine)
        leaves = pages_of(self.db, "visit", "leaf")
        page, cells = leaves[len(leaves) // 2]
        smash_page(self.db, page)
        self.assertEqual(self.fb("db", "check")[0], 1)
        damaged = content(self.db)

        target = os.path.join(self.tmp, "recovered.db")
        out, err = self.fb_ok("db", "recover", target, "--format", "csv")
        self.assertEqual(content(self.db), damaged, "db recover never touches the damaged file")
        counts = {r["table"]: r for r in parse_csv(out)}
        original = self.snapshot_by_id(pristine, "visit")
        self.assertEqual(int(counts["visit"]["lost"]), cells)
        self.assertEqual(int(counts["visit"]["saved"]), len(original) - cells)
        recovered = self.snapshot_by_id(target, "visit")
        self.assertEqual(len(recovered), len(original) - cells)
        for vid, row in recovered.items():
            self.assertEqual(row, original[vid], f"visit {vid} was saved as it was")
        for table in ("customer", "rep", "contact", "meeting", "orders", "followup"):
            self.assertEqual(self.snapshot_by_id(target, table),
                             self.snapshot_by_id(pristine, table), table)
            self.assertEqual(counts[table]["lost"], "0")
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o600)
        self.assertEqual(self.sql("PRAGMA integrity_check", path=target), [("ok",)])

        # The recovered store moved into place: the damage mark no longer applies.
        os.replace(self.db, os.path.join(self.tmp, "damaged.db"))
        os.replace(target, self.db)
        self.add_visit("恢复之后公司", "--note", "恢复后可写")
        self.assertTrue(self.json_rows("visit", "search", "恢复后可写"))
        some = next(iter(recovered.values()))
        note = self.sql("SELECT note FROM visit WHERE id = ?", (some[0],))[0][0]
        if note:
            self.assertIn(some[0], {r["id"] for r in self.json_rows("visit", "search", note)})
        print(f"fault: visit leaf page {page} ({cells} rows) smashed -> db recover: "
              f"{counts['visit']['saved']} visits saved, {cells} lost, other tables whole, "
              f"damaged file unchanged; moved into place -> writes and search ok",
              file=sys.stderr)

    def test_recover_refuses_an_existing_file_and_an_unreadable_store(self):
        target = os.path.join(self.tmp, "exists.db")
        with open(target, "w") as f:
            f.write("mine")
        self.assertUsageError(self.fb("db", "recover", target), target, "already exists")
        with open(target) as f:
            self.assertEqual(f.read(), "mine")
        with open(self.db, "r+b") as f:
            f.write(b"Not SQLite at all")
        fresh = os.path.join(self.tmp, "fresh.db")
        result = self.fb("db", "recover", fresh)
        self.assertFailure(result, "cannot recover", "backup")
        self.assertFalse(os.path.exists(fresh))
        self.assertEqual([n for n in os.listdir(self.tmp) if "partial" in n], [])
        print("fault: db recover onto an existing file -> exit 2, file kept; of a store with "
              "no readable header -> exit 1, no new file", file=sys.stderr)


class ArchiveCheckTest(DemoStoreCase):

    def test_altered_meeting_summary_is_listed(self):
        self.assertEqual(self.fb("db", "check")[0], 0)
        day = self.sql("SELECT day FROM meeting WHERE markdown IS NOT NULL ORDER BY day")[0][0]
        con = sqlite3.connect(self.db)
        with con:
            con.execute("UPDATE meeting SET markdown = replace(markdown, '拜访', '拜见') "
                        "WHERE day = ?", (day,))
        con.close()
        code, out, err = self.fb("db", "check")
        self.assertFailure((code, out, err), "1 problem")
        self.assertIn(f"meeting of {day}", err)
        self.assertIn("SHA-256", err)
        others = self.sql("SELECT day FROM meeting WHERE markdown IS NOT NULL AND day != ?",
                          (day,))
        for (other,) in others:
            self.assertNotIn(other, err)
        self.assertFalse(os.path.exists(self.db + ".damaged"),
                         "an altered summary is reported, not taken for damage to the file")
        self.add_visit("仍可写公司")
        print(f"fault: archived summary of {day} altered -> db check exit 1 naming that day "
              f"only, writes go on", file=sys.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
