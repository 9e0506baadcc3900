"""Read-only stores and read-only directories, as a user without root's power to write
anything: reads work and leave no file behind, writes say the store is read-only and which
file, and write nothing.

As root, the binary is copied into a fresh directory (mode 0755) and run through
`setpriv --reuid=65534 --regid=65534 --clear-groups` on a store and HOME owned by 65534;
otherwise it runs directly. If neither works, the tests fail saying why."""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile

from fbtest import BIN, FieldbookTestCase

NOBODY = 65534


def read_rows(path, query):
    """Rows read without creating or locking anything beside the store."""
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class ReadOnlyTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.root = tempfile.mkdtemp(prefix="fbro-")
        self.addCleanup(self.remove_root)
        os.chmod(self.root, 0o755)
        self.as_root = os.geteuid() == 0
        self.prefix = []
        binary = BIN
        if self.as_root:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                self.fail("running as root and setpriv (util-linux) is missing: cannot test "
                          "read-only stores as a user who cannot override permissions")
            bindir = os.path.join(self.root, "bin")
            os.mkdir(bindir, 0o755)
            binary = os.path.join(bindir, "fieldbook")
            shutil.copy2(BIN, binary)
            os.chmod(binary, 0o755)
            self.prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        self.binary = binary
        self.home = os.path.join(self.root, "home")
        self.storedir = os.path.join(self.root, "data")
        for d in (self.home, self.storedir):
            os.mkdir(d, 0o700)
            if self.as_root:
                os.chown(d, NOBODY, NOBODY)
        self.db = os.path.join(self.storedir, "fb.db")
        self.env.update({"HOME": self.home, "FIELDBOOK_DB": self.db,
                         "XDG_DATA_HOME": os.path.join(self.home, ".local", "share"),
                         "XDG_CONFIG_HOME": os.path.join(self.home, ".config")})
        code, out, err = self.run_as_user([], probe=True)
        if code != 0 or out.strip() == "0":
            self.fail(f"cannot run as a user other than root (uid {out.strip()}): {err}")

    def remove_root(self):
        for d in (self.storedir,):
            if os.path.isdir(d):
                os.chmod(d, 0o700)
        shutil.rmtree(self.root, True)

    def run_as_user(self, args, probe=False):
        command = ["id", "-u"] if probe else [self.binary, *args]
        proc = subprocess.run(self.prefix + command, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=self.make_env(), cwd=self.root,
                              timeout=60)
        return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")

    def user_ok(self, *args):
        code, out, err = self.run_as_user(list(args))
        self.assertEqual(code, 0, f"fieldbook {' '.join(args)} failed:\n{err}")
        return out, err

    def make_store(self):
        self.user_ok("init", "--me", "zhangwei", "--name", "张伟", "--timezone", "Asia/Shanghai")
        self.user_ok("visit", "add", "成都办公伙伴公司", "--outcome", "contact",
                     "--note", "需要打印纸")
        self.assertEqual(sorted(os.listdir(self.storedir)), ["fb.db"],
                         "a closed store has no -wal or -shm file")

    def listing(self):
        return sorted(os.listdir(self.storedir))

    def check_reads(self):
        out, err = self.user_ok("visit", "list", "--format", "csv")
        self.assertIn("需要打印纸", out)
        out, err = self.user_ok("visit", "search", "打印纸", "--format", "csv")
        self.assertIn("成都办公伙伴公司", out)
        out, err = self.user_ok("db", "check")
        self.assertIn("ok", out)

    def check_write_refused(self, *needles):
        before = file_bytes(self.db)
        files = self.listing()
        code, out, err = self.run_as_user(["visit", "add", "锦城律师事务所", "--outcome",
                                           "contact", "--note", "不该写入"])
        self.assertEqual(code, 1, err)
        self.assertIn("fieldbook: error:", err)
        self.assertIn("read-only", err)
        for needle in needles:
            self.assertIn(needle, err)
        self.assertNotIn("attempt to write a readonly database", err)
        self.assertEqual(file_bytes(self.db), before, "nothing was written")
        self.assertEqual(self.listing(), files, "no file was made")
        return err

    def test_read_only_store(self):
        self.make_store()
        os.chmod(self.db, 0o400)
        self.check_reads()
        self.assertEqual(self.listing(), ["fb.db"], "a read leaves no -wal or -shm behind")
        err = self.check_write_refused(self.db)
        # Writable again: nothing left by the reads stands in the way.
        os.chmod(self.db, 0o600)
        self.user_ok("visit", "add", "锦城律师事务所", "--outcome", "contact", "--note", "可写了")
        notes = sorted(r[0] for r in read_rows(self.db, "SELECT note FROM visit"))
        self.assertEqual(notes, sorted(["需要打印纸", "可写了"]))
        print(f"fault: store 0400 as uid {os.geteuid() if not self.as_root else NOBODY} -> "
              f"reads ok and leave no file, visit add exit 1 ({err.splitlines()[0][18:]}), "
              f"writable again -> add ok", file=sys.stderr)

    def test_read_only_directory(self):
        self.make_store()
        os.chmod(self.storedir, 0o500)
        self.check_reads()
        self.assertEqual(self.listing(), ["fb.db"])
        err = self.check_write_refused(self.storedir)
        # A backup elsewhere only reads the store.
        backup = os.path.join(self.home, "copy.db")
        self.user_ok("db", "backup", backup)
        self.assertEqual(read_rows(backup, "SELECT note FROM visit"), [("需要打印纸",)])
        os.chmod(self.storedir, 0o700)
        self.user_ok("visit", "add", "锦城律师事务所", "--outcome", "contact")
        print(f"fault: store in a 0500 directory -> reads and backup ok, visit add exit 1 "
              f"({err.splitlines()[0][18:]}), writable again -> add ok", file=sys.stderr)

    def test_read_only_shm_left_by_another_program_is_repaired(self):
        """-wal/-shm files that lost their write permission (left by an older fieldbook or
        another SQLite program reading the store while it was read-only) stop no write."""
        self.make_store()
        for suffix in ("-wal", "-shm"):
            path = self.db + suffix
            with open(path, "wb") as f:
                f.write(b"" if suffix == "-wal" else b"\0" * 32768)
            if self.as_root:
                os.chown(path, NOBODY, NOBODY)
            os.chmod(path, 0o400)
        self.user_ok("visit", "add", "锦城律师事务所", "--outcome", "contact", "--note", "修好了")
        notes = sorted(r[0] for r in read_rows(self.db, "SELECT note FROM visit"))
        self.assertEqual(notes, sorted(["需要打印纸", "修好了"]))
        print("fault: read-only -wal/-shm of the user beside a writable store -> visit add ok",
              file=sys.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
