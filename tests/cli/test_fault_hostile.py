"""The hostile-input corpus (tests/hostile/*.jsonl, described in tests/hostile/README.md): every
case runs the real binary on a copy of a store prepared once per corpus file, and must end
with the exit code and the stderr it names. A refused case (exit != 0), and a read-only one,
must leave the store file byte for byte as it was (and no write-ahead log behind); an
accepted case must have stored its text verbatim, as sqlite3 reads it and as the program
reads it back. Whatever the case, stderr is UTF-8 and carries no escape, lone CR or bidi
control: messages show what was typed, they do not send it to the terminal.

Cases run side by side, each on its own copy of the store; the corpus is some 380 cases and
about 440 runs of the binary.
"""

import concurrent.futures
import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

from fbtest import BIN, FieldbookTestCase

CORPUS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                       "hostile"))
# What a message must never carry to a terminal.
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]")


def corpus_files():
    return sorted(glob.glob(os.path.join(CORPUS, "*.jsonl")))


def load(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                case = json.loads(line)
                case["where"] = f"{os.path.basename(path)}:{number} {case['id']}"
                cases.append(case)
    return cases


def arg_bytes(arg):
    """An argv element: text, {"hex": "ff fe"} for raw bytes, or {"repeat": s, "times": n,
    "suffix": t} for a long value."""
    if isinstance(arg, str):
        return arg.encode("utf-8")
    if "hex" in arg:
        return bytes.fromhex(arg["hex"])
    return (arg["repeat"] * arg["times"] + arg.get("suffix", "")).encode("utf-8")


def write_csv(path, content):
    """A case's CSV file: text, {"hex": ...}, or {"generate": ...} for one built at run time
    (a 100 MB field is never stored in the repository)."""
    with open(path, "wb") as f:
        if isinstance(content, str):
            f.write(content.encode("utf-8"))
        elif "hex" in content:
            f.write(bytes.fromhex(content["hex"]))
        else:
            spec = content["generate"]
            f.write(spec["head"].encode("utf-8"))
            chunk = spec["fill"].encode("utf-8") * (1 << 20)
            for _ in range(spec["megabytes"]):
                f.write(chunk)
            f.write(spec["tail"].encode("utf-8"))


class HostileCorpusTest(FieldbookTestCase):

    summary = {"cases": 0}
    prepared = None  # the starting store's bytes, made by the first corpus test

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        if cls.summary["cases"]:
            print(f"fault: hostile corpus: {cls.summary['cases']} cases, all held",
                  file=sys.stderr)

    def prepare_store(self):
        """The store every case starts from, made once: a leader and a rep, a customer with
        its building, floor, room and industry, a visit (with a note holding % and _), an
        order with a due day (and so a collection follow-up, #1, and an after-sales check,
        #2), a follow-up (#3): a case's new follow-up is #4."""
        if HostileCorpusTest.prepared is not None:
            return HostileCorpusTest.prepared
        self.init_store("zhangwei", "张伟", role="leader")
        self.add_rep("lina", "李娜")
        self.fb_ok("customer", "add", "蓝海数据科技", "--building", "天府软件园B座", "--floor",
                   "12", "--room", "1203", "--industry", "互联网")
        self.fb_ok("visit", "add", "蓝海数据科技", "--outcome", "contact", "--contact", "王芳",
                   "--note", "前台收下目录, 100% 满意_测试", "--at", "2026-11-25 10:00")
        self.fb_ok("order", "add", "蓝海数据科技", "--amount", "1000", "--due", "+10d")
        self.fb_ok("followup", "add", "蓝海数据科技", "--due", "+3d", "--note", "报价")
        self.assertFalse(os.path.exists(self.db + "-wal"), "the prepared store is checkpointed")
        with open(self.db, "rb") as f:
            HostileCorpusTest.prepared = f.read()
        return HostileCorpusTest.prepared

    def run_case(self, case, prepared):
        """Runs one case on its own copy of the store; returns a list of what failed."""
        where = case["where"]
        workdir = tempfile.mkdtemp(prefix="case-", dir=self.tmp)
        try:
            db = os.path.join(workdir, "fb.db")
            with open(db, "wb") as f:
                f.write(prepared)
            env = self.make_env({"FIELDBOOK_DB": db})
            argv = [arg_bytes(a) for a in case["argv"]]
            if "csv" in case:
                write_csv(os.path.join(workdir, "case.csv"), case["csv"])
                argv = [b"case.csv" if a == b"{csv}" else a for a in argv]
            proc = subprocess.run([BIN.encode(), *argv], stdin=subprocess.DEVNULL,
                                  capture_output=True, env=env, cwd=workdir, timeout=120)
            problems = []
            try:
                err = proc.stderr.decode("utf-8")
            except UnicodeDecodeError:
                return [f"{where}: stderr is not UTF-8: {proc.stderr[:300]!r}"]
            if proc.returncode != case["exit"]:
                problems.append(f"{where}: exit {proc.returncode}, expected {case['exit']}; "
                                f"stderr: {err[:500]}")
            if not re.search(case["stderr"], err, re.M):
                problems.append(f"{where}: stderr does not match {case['stderr']!r}: "
                                f"{err[:500]!r}")
            if TERMINAL_CONTROL.search(err.replace("\r\n", "\n")):
                problems.append(f"{where}: stderr carries a terminal control: {err[:300]!r}")
            if "stdout" in case:
                out = proc.stdout.decode("utf-8", "replace")
                if not re.search(case["stdout"], out):
                    problems.append(f"{where}: stdout does not match {case['stdout']!r}: "
                                    f"{out[:300]!r}")
            if case["exit"] != 0 or case.get("unchanged"):
                problems += self.unchanged(where, db, prepared)
            if proc.returncode == 0 and "stored" in case:
                problems += self.stored(where, db, env, workdir, case)
            return problems
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    @staticmethod
    def unchanged(where, db, prepared):
        problems = []
        with open(db, "rb") as f:
            now = f.read()
        if now != prepared:
            problems.append(f"{where}: the store file changed")
        for suffix in ("-wal", "-journal"):
            if os.path.exists(db + suffix) and os.path.getsize(db + suffix) > 0:
                problems.append(f"{where}: {suffix} left with content")
        return problems

    @staticmethod
    def stored(where, db, env, workdir, case):
        problems = []
        expected = case["stored"]["value"]
        con = sqlite3.connect(db)
        try:
            row = con.execute(case["stored"]["sql"]).fetchone()
        finally:
            con.close()
        if row is None or row[0] != expected:
            problems.append(f"{where}: stored {row!r}, expected {expected!r}")
        readback = case.get("readback")
        if readback:
            proc = subprocess.run([BIN, *readback["argv"], "--format", "json"],
                                  stdin=subprocess.DEVNULL, capture_output=True, env=env,
                                  cwd=workdir, timeout=60)
            if proc.returncode != 0:
                return problems + [f"{where}: read back failed: {proc.stderr[:300]!r}"]
            rows = json.loads(proc.stdout)
            selected = [r for r in rows
                        if all(r.get(k) == v for k, v in readback.get("where", {}).items())]
            want = readback.get("value", expected)
            if not selected or selected[0].get(readback["key"]) != want:
                got = selected[0].get(readback["key"]) if selected else None
                problems.append(f"{where}: read back {readback['key']} = {got!r}, "
                                f"expected {want!r}")
        return problems

    def check_corpus(self, path):
        cases = load(path)
        self.assertTrue(cases, f"{path} has cases")
        prepared = self.prepare_store()
        workers = 2 * (os.cpu_count() or 1)
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda case: self.run_case(case, prepared), cases))
        failures = [p for problems in results for p in problems]
        self.assertEqual(failures, [], f"{len(failures)} problems in {path}:\n" +
                         "\n".join(failures[:40]))
        refused = sum(1 for c in cases if c["exit"] != 0)
        print(f"fault: hostile {os.path.basename(path)}: {len(cases)} cases ({refused} refused "
              f"with the store unchanged, {len(cases) - refused} accepted as stored)",
              file=sys.stderr)
        type(self).summary["cases"] += len(cases)

    def test_the_corpus_is_large_and_its_ids_unique(self):
        ids = [c["id"] for path in corpus_files() for c in load(path)]
        self.assertGreaterEqual(len(ids), 300)
        self.assertEqual(len(ids), len(set(ids)), "case ids are unique")


def add_corpus_tests():
    """One test per corpus file, so a failure names its file."""
    for path in corpus_files():
        name = os.path.splitext(os.path.basename(path))[0]
        setattr(HostileCorpusTest, f"test_corpus_{name}",
                lambda self, path=path: self.check_corpus(path))


add_corpus_tests()

if __name__ == "__main__":
    unittest.main()
