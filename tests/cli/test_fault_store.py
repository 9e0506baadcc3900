"""The store under faults: a lock held past the wait, `db backup` killed at random points, a
full disk, and a backup to a directory that does not exist."""

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

from fbtest import BIN, FieldbookTestCase


def digest(path):
    """Every table's rows, hashed: a cheap 'same rows' for a large store."""
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        out = {"user_version": con.execute("PRAGMA user_version").fetchone()[0]}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND sql NOT LIKE 'CREATE VIRTUAL%'").fetchall():
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{table}"'))
            out[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return out
    finally:
        con.close()


def integrity(path):
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


class LockTest(FieldbookTestCase):

    def test_lock_held_past_the_wait_fails_clearly_and_writes_nothing(self):
        self.init_store()
        self.add_visit("蓝海科技", "--note", "锁之前")
        before = self.db_snapshot()
        holder = sqlite3.connect(self.db, isolation_level=None, timeout=0)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            code, out, err = self.fb("--lock-timeout", "1", "visit", "add", "锦城律师事务所",
                                     "--outcome", "contact", "--note", "不该写入")
            waited = time.monotonic() - started
            # Readers are not held up by a writer.
            listed = self.json_rows("--lock-timeout", "1", "visit", "list")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        self.assertFailure((code, out, err), "waiting 1 s",
                           "another fieldbook command is writing to", self.db)
        self.assertNotIn("database is locked", err)
        self.assertGreaterEqual(waited, 1.0, "the command waited as long as it was told")
        self.assertEqual([v["note"] for v in listed], ["锁之前"])
        self.assertEqual(self.db_snapshot(), before, "nothing was written")
        self.add_visit("锦城律师事务所", "--note", "锁之后")
        print(f"fault: BEGIN IMMEDIATE held by another process -> visit add exit 1 after "
              f"{waited:.1f} s with the lock message, nothing written, next add ok",
              file=sys.stderr)

    def test_lock_timeout_must_be_a_number_of_seconds(self):
        self.init_store()
        self.assertUsageError(self.fb("--lock-timeout", "soon", "visit", "list"), "--lock-timeout")
        self.assertUsageError(self.fb("--lock-timeout", "-1", "visit", "list"), "--lock-timeout")


class BackupKillTest(FieldbookTestCase):
    KILLS = 5
    VISITS = 10000

    def make_large_store(self):
        self.init_store()
        self.add_visit("成都办公伙伴公司", "--note", "真实的拜访")
        con = sqlite3.connect(self.db)
        try:
            rep, customer = con.execute("SELECT rep_id, customer_id FROM visit").fetchone()
            note = "拜访记录：" + "需要打印纸和硒鼓，" * 20
            with con:
                con.executemany(
                    "INSERT INTO visit (uuid, rep_id, customer_id, at_utc, day, outcome, note, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'contact', ?, ?, ?)",
                    ((f"00000000-0000-7000-8000-{i:012d}", rep, customer,
                      "2026-11-20T02:00:00Z", "2026-11-20", f"{note}{i}",
                      "2026-11-20T02:00:00Z", "2026-11-20T02:00:00Z")
                     for i in range(self.VISITS)))
        finally:
            con.close()
        return os.path.getsize(self.db)

    def check_backup(self, target, expected):
        self.assertEqual(integrity(target), [("ok",)], f"{target} is not sound")
        self.assertEqual(digest(target), expected, f"{target} differs from the store")

    def temporaries(self, directory):
        return [n for n in os.listdir(directory) if "partial" in n]

    def test_backup_killed_at_random_points(self):
        size = self.make_large_store()
        expected = digest(self.db)
        outdir = os.path.join(self.tmp, "backups")
        os.mkdir(outdir)
        target = os.path.join(outdir, "fb-backup.db")

        started = time.monotonic()
        self.fb_ok("db", "backup", target)
        duration = time.monotonic() - started
        self.check_backup(target, expected)
        os.remove(target)

        seed = random.randrange(1 << 30)
        rng = random.Random(seed)
        kills, finished, points = 0, 0, []
        while kills < self.KILLS:
            self.assertLess(kills + finished, 40, f"could not kill a running backup (seed {seed})")
            delay = rng.uniform(0.02, 0.98) * duration
            proc = subprocess.Popen([BIN, "db", "backup", target], env=self.make_env(),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    cwd=self.tmp)
            time.sleep(delay)
            killed = proc.poll() is None
            if killed:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stderr.close()
            if not killed:
                finished += 1
                self.check_backup(target, expected)
                os.remove(target)
                continue
            kills += 1
            points.append(round(delay, 3))
            # A killed backup leaves no file at the target, unless it had finished the copy.
            if os.path.exists(target):
                self.check_backup(target, expected)
                os.remove(target)
            code, out, err = self.fb("db", "backup", target)
            self.assertEqual(code, 0, f"retry after a kill at {delay:.3f} s failed:\n{err}")
            self.check_backup(target, expected)
            self.assertEqual(self.temporaries(outdir), [], "the retry removed the temporary")
            os.remove(target)
        print(f"fault: kill -9 of db backup ({size >> 20} MiB, {duration:.2f} s) at {points} "
              f"s (seed {seed}; {finished} finished first) -> no partial target, every retry "
              f"ok, integrity ok, same rows", file=sys.stderr)

    def test_backup_to_a_missing_directory_names_it(self):
        self.init_store()
        code, out, err = self.fb("db", "backup", "nodir/x.db")
        self.assertFailure((code, out, err), "nodir/x.db", "directory nodir does not exist")
        self.assertNotIn("unable to open database file", err)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "nodir")))
        print("fault: db backup nodir/x.db -> exit 1 naming the path and the missing directory",
              file=sys.stderr)


class DiskFullTest(FieldbookTestCase):
    """A real full file system: a small tmpfs, mounted as root, or inside a user and mount
    namespace of its own (unshare -rm) when the tests do not run as root."""

    SIZE = "4m"

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0 and not os.environ.get("FIELDBOOK_IN_NAMESPACE"):
            return
        self.mount = tempfile.mkdtemp(prefix="fbfull-")
        self.addCleanup(shutil.rmtree, self.mount, True)
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.SIZE},mode=0700",
                               "tmpfs", self.mount], capture_output=True, text=True)
        if proc.returncode != 0:
            self.fail(f"cannot mount a tmpfs to fill: {proc.stderr.strip()}")
        self.addCleanup(self.unmount)

    def unmount(self):
        subprocess.run(["umount", "-l", self.mount], capture_output=True)

    def rerun_in_namespace(self):
        """Not root: the same test, inside a user and mount namespace where a tmpfs can be
        mounted. If that is not possible either, the test fails saying why."""
        if shutil.which("unshare") is None:
            self.fail("not root, and unshare (util-linux) is missing: cannot fill a disk")
        test = f"{type(self).__module__}.{type(self).__name__}.{self._testMethodName}"
        env = dict(os.environ, FIELDBOOK_IN_NAMESPACE="1", FIELDBOOK_BIN=BIN)
        proc = subprocess.run(["unshare", "-rm", sys.executable, "-m", "unittest", test],
                              capture_output=True, text=True, env=env,
                              cwd=os.path.dirname(os.path.abspath(__file__)))
        sys.stderr.write(proc.stderr)
        self.assertEqual(proc.returncode, 0,
                         f"not root; the test in a user namespace (unshare -rm) failed:\n"
                         f"{proc.stderr}")

    def fill(self, leave=0):
        """Fills the tmpfs to the last byte, then frees `leave` bytes."""
        filler = os.path.join(self.mount, "filler")
        with open(filler, "wb", buffering=0) as f:
            for chunk in (65536, 4096, 512, 1):
                try:
                    while True:
                        f.write(b"\0" * chunk)
                except OSError:
                    pass
        if leave:
            os.truncate(filler, max(0, os.path.getsize(filler) - leave))
        return filler

    def test_full_disk(self):
        if os.geteuid() != 0:
            return self.rerun_in_namespace()
        db = os.path.join(self.mount, "fb.db")
        env = {"FIELDBOOK_DB": db}
        self.fb_ok("init", "--me", "zhangwei", "--name", "张伟", env=env)
        self.fb_ok("visit", "add", "蓝海科技", "--outcome", "contact", "--note", "满之前", env=env)
        before = self.db_snapshot(db)
        tried = []
        # Nothing left at all (SQLite cannot even make its -shm file), then a little room
        # (the commit's write-ahead log does not fit).
        for leave in (0, 48 * 1024):
            filler = self.fill(leave)
            code, out, err = self.fb("visit", "add", "锦城律师事务所", "--outcome", "contact",
                                     "--note", "磁盘满", env=env)
            self.assertFailure((code, out, err), f"the disk holding {db} is full")
            self.assertNotIn("database or disk is full", err)
            self.assertNotIn("disk I/O error", err)
            os.remove(filler)
            self.assertEqual(self.db_snapshot(db), before, "nothing was written")
            out, err = self.fb_ok("db", "check", env=env)
            self.assertIn("ok", out)
            tried.append(leave)
        self.fb_ok("visit", "add", "锦城律师事务所", "--outcome", "contact", "--note", "满之后",
                   env=env)
        notes = sorted(r[0] for r in self.sql("SELECT note FROM visit", path=db))
        self.assertEqual(notes, sorted(["满之前", "满之后"]))
        print(f"fault: visit add on a full {self.SIZE} tmpfs (bytes left: {tried}) -> exit 1 "
              f"'disk ... is full', store intact, db check ok, next add ok", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
