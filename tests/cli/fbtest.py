"""Shared helpers for the fieldbook CLI tests.

Every test runs the real binary (FIELDBOOK_BIN) the way a user or a script meets it: a fresh
temporary directory per test holds HOME, XDG_DATA_HOME, XDG_CONFIG_HOME and the store
(FIELDBOOK_DB); the clock is fixed with FIELDBOOK_NOW and the zone with TZ, so "today" is
always Thursday 2026-11-26 in Asia/Shanghai.

Machine-readable output is checked with independent readers only (Python's csv, json and
sqlite3 modules), never with the program's own code.

Note: unittest.TestCase already has a method called run(), so the helper that runs the binary
is called fb() (and fb_bytes() / fb_pty() for raw bytes and terminals).
"""

import csv
import io
import json
import os
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import unicodedata
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("FIELDBOOK_BIN") or os.path.normpath(
    os.path.join(HERE, "..", "..", "build", "fieldbook"))

NOW = "2026-11-26T10:00:00+08:00"   # a Thursday
TODAY = "2026-11-26"
YESTERDAY = "2026-11-25"
TOMORROW = "2026-11-27"

OUTCOMES = ["refused", "absent", "contact", "interest", "intent", "order"]

ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
UUID7_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def char_width(ch):
    """Display width of one code point as a terminal shows it (independent of the program)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if ch in ("\u200b", "\u200d", "\ufe0f", "\ufe0e"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def display_width(text):
    return sum(char_width(c) for c in text)


def positioned(line):
    """[(display_column, char, width)] for every code point of a line."""
    out, col = [], 0
    for ch in line:
        w = char_width(ch)
        out.append((col, ch, w))
        col += w
    return out


def strip_ansi(text):
    return ANSI_RE.sub("", text)


def parse_csv(text):
    """Rows of a CSV text as dicts, read by Python's csv module (RFC 4180)."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def json_cell_as_text(value):
    """How a JSON value must appear in CSV/TSV/table: null as empty, numbers as digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")


class FieldbookTestCase(unittest.TestCase):
    """A temp dir per test, a clean environment, and helpers around the fieldbook binary."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        if not os.access(BIN, os.X_OK):
            raise unittest.SkipTest(f"fieldbook binary not found at {BIN}; set FIELDBOOK_BIN")

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="fbcli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.home = os.path.join(self.tmp, "home")
        os.mkdir(self.home)
        self.data_home = os.path.join(self.home, ".local", "share")
        self.config_home = os.path.join(self.home, ".config")
        self.db = os.path.join(self.tmp, "fb.db")
        self.config_file = os.path.join(self.config_home, "fieldbook", "config.toml")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "XDG_DATA_HOME": self.data_home,
            "XDG_CONFIG_HOME": self.config_home,
            "FIELDBOOK_DB": self.db,
            "FIELDBOOK_NOW": NOW,
            "TZ": "Asia/Shanghai",
            "LANG": "C.UTF-8",
        }
        # Sanitizer builds need their options passed through.
        for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if key in os.environ:
                self.env[key] = os.environ[key]

    # ---- running the binary ------------------------------------------------------------

    def make_env(self, env=None, unset=()):
        e = dict(self.env)
        if env:
            e.update(env)
        for key in unset:
            e.pop(key, None)
        return e

    def fb_bytes(self, *args, input=None, env=None, unset=(), umask=-1, timeout=60, cwd=None):
        """Run fieldbook; args may be str or bytes. Returns (code, stdout bytes, stderr bytes)."""
        if isinstance(input, str):
            input = input.encode("utf-8")
        proc = subprocess.run(
            [BIN, *args],
            input=input if input is not None else b"",
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=self.make_env(env, unset), umask=umask, timeout=timeout,
            cwd=cwd or self.tmp)
        return proc.returncode, proc.stdout, proc.stderr

    def fb(self, *args, input=None, env=None, unset=(), umask=-1, timeout=60, cwd=None):
        """Run fieldbook with stdin not a terminal. Returns (code, stdout, stderr) as text.

        The output must be valid UTF-8: decoding is strict, so mojibake fails the test.
        Line endings are kept as written (newline translation is off)."""
        code, out, err = self.fb_bytes(*args, input=input, env=env, unset=unset, umask=umask,
                                       timeout=timeout, cwd=cwd)
        return code, out.decode("utf-8"), err.decode("utf-8")

    def fb_ok(self, *args, **kw):
        """Run and require exit 0; returns (stdout, stderr)."""
        code, out, err = self.fb(*args, **kw)
        self.assertEqual(code, 0, f"fieldbook {' '.join(map(str, args))} failed:\n{err}")
        return out, err

    def fb_pty(self, *args, answers=(), env=None, unset=(), timeout=20, stdout_tty=True):
        """Run fieldbook with stdin and stderr on a pseudo-terminal (and stdout too unless
        stdout_tty is False, as in `fieldbook visit add > file`).

        answers: [(prompt_text, reply_bytes)]; each reply is typed once prompt_text has
        appeared on the terminal after the previous reply. Returns (code, terminal transcript,
        stdout) where stdout is "" when it went to the terminal. Fails the test on a hang."""
        import pty
        master, slave = pty.openpty()
        proc = subprocess.Popen([BIN, *args], stdin=slave,
                                stdout=slave if stdout_tty else subprocess.PIPE,
                                stderr=slave, env=self.make_env(env, unset), cwd=self.tmp,
                                start_new_session=True)
        os.close(slave)
        pending = list(answers)
        transcript = b""
        mark = 0
        deadline = time.monotonic() + timeout
        try:
            while True:
                if time.monotonic() > deadline:
                    proc.kill()
                    proc.wait()
                    self.fail(f"fieldbook {' '.join(args)} hung on the terminal; "
                              f"transcript so far: {transcript.decode('utf-8', 'replace')!r}")
                if pending:
                    prompt, reply = pending[0]
                    if prompt.encode("utf-8") in transcript[mark:]:
                        os.write(master, reply)
                        mark = len(transcript)
                        pending.pop(0)
                        continue
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        chunk = os.read(master, 4096)
                    except OSError:   # EIO: every holder of the terminal has closed it
                        chunk = b""
                    if not chunk:
                        break
                    transcript += chunk
            out = proc.stdout.read() if proc.stdout else b""
            code = proc.wait(timeout=max(1, deadline - time.monotonic()))
        finally:
            os.close(master)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stdout:
                proc.stdout.close()
        return code, transcript.decode("utf-8"), out.decode("utf-8")

    # ---- setting up a store -------------------------------------------------------------

    def init_store(self, me="zhangwei", name="张伟", role=None, timezone="Asia/Shanghai"):
        args = ["init", "--me", me, "--name", name]
        if role:
            args += ["--role", role]
        if timezone:
            args += ["--timezone", timezone]
        self.fb_ok(*args)

    def add_rep(self, handle, name, role=None):
        args = ["rep", "add", handle, "--name", name]
        if role:
            args += ["--role", role]
        self.fb_ok(*args)

    def visit_ids(self):
        return {r["id"] for r in self.json_rows("visit", "list")}

    def add_visit(self, customer, *args, outcome="contact", env=None):
        """Log one visit (must succeed); returns its id as an int."""
        before = self.visit_ids()
        extra = list(args)
        if outcome is not None:
            extra += ["--outcome", outcome]
        self.fb_ok("visit", "add", customer, *extra, env=env)
        new = self.visit_ids() - before
        self.assertEqual(len(new), 1, f"visit add {customer} did not add exactly one visit")
        return new.pop()

    def write_config(self, text, path=None):
        path = path or self.config_file
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def write_template(self, name, text):
        """The user's own copy of a template (scripts.toml, catalog.toml) in the config dir;
        bytes are written as they are, so tests can plant invalid UTF-8."""
        path = os.path.join(self.config_home, "fieldbook", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    def check_golden(self, name, text):
        """Compares with tests/cli/golden/NAME; FIELDBOOK_UPDATE_GOLDEN=1 rewrites it instead
        (then review the diff with git)."""
        path = os.path.join(GOLDEN_DIR, name)
        if os.environ.get("FIELDBOOK_UPDATE_GOLDEN"):
            os.makedirs(GOLDEN_DIR, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        with open(path, encoding="utf-8", newline="") as f:
            expected = f.read()
        self.assertEqual(text, expected, f"{name} differs from the golden file "
                                         "(FIELDBOOK_UPDATE_GOLDEN=1 regenerates it)")

    # ---- reading rows back --------------------------------------------------------------

    def csv_rows(self, *args, **kw):
        out, err = self.fb_ok(*args, "--format", "csv", **kw)
        return parse_csv(out)

    def json_rows(self, *args, **kw):
        out, err = self.fb_ok(*args, "--format", "json", **kw)
        data = json.loads(out)
        self.assertIsInstance(data, list, f"{args} --format json is not an array")
        return data

    def show_visit(self, visit_id):
        rows = self.json_rows("visit", "show", str(visit_id))
        self.assertEqual(len(rows), 1)
        return rows[0]

    def customers(self):
        return self.json_rows("customer", "list")

    def listing_snapshot(self):
        """What a user sees: every visit and customer listing as CSV text."""
        return (self.fb_ok("visit", "list", "--format", "csv")[0],
                self.fb_ok("customer", "list", "--format", "csv")[0],
                self.fb_ok("rep", "list", "--all", "--format", "csv")[0])

    def db_snapshot(self, path=None):
        """Every row of every ordinary table plus user_version, read with Python's sqlite3."""
        con = sqlite3.connect(path or self.db)
        try:
            snap = {"user_version": con.execute("PRAGMA user_version").fetchone()[0]}
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
            for t in tables:
                snap[t] = sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            return snap
        finally:
            con.close()

    def sql(self, query, params=(), path=None):
        con = sqlite3.connect(path or self.db)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    # ---- assertions ---------------------------------------------------------------------

    def assertUsageError(self, result, *needles):
        code, out, err = result
        self.assertEqual(code, 2, f"expected exit 2 (usage error); stderr:\n{err}")
        self.assertIn("fieldbook: error:", err)
        for n in needles:
            self.assertIn(n, err)
        self.assertEqual(out, "", "a failed command must not print data on stdout")

    def assertFailure(self, result, *needles):
        code, out, err = result
        self.assertEqual(code, 1, f"expected exit 1 (failure); stderr:\n{err}")
        self.assertIn("fieldbook: error:", err)
        for n in needles:
            self.assertIn(n, err)
        self.assertEqual(out, "", "a failed command must not print data on stdout")

    def assertUnchangedBy(self, result_fn, expect_code=2):
        """Run result_fn() (a failing command) and check nothing at all was written."""
        before_lists = self.listing_snapshot()
        before_db = self.db_snapshot()
        result = result_fn()
        self.assertEqual(result[0], expect_code, f"stderr:\n{result[2]}")
        self.assertEqual(self.listing_snapshot(), before_lists)
        self.assertEqual(self.db_snapshot(), before_db)
        return result
