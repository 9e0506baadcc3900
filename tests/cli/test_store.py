"""The store: creation, permissions, idempotent init, missing store, failed commands, tombstones,
identity, and many processes writing at once."""

import concurrent.futures
import json
import os
import stat
import threading
import unittest

from fbtest import FieldbookTestCase, UUID7_RE, TODAY


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class InitTest(FieldbookTestCase):

    def test_init_creates_store_0600_in_new_dir_0700_under_umask_022(self):
        db = os.path.join(self.tmp, "private", "sub", "fb.db")
        code, out, err = self.fb("init", "--me", "zhangwei", "--name", "张伟",
                                 "--timezone", "Asia/Shanghai", env={"FIELDBOOK_DB": db},
                                 umask=0o022)
        self.assertEqual(code, 0, err)
        self.assertIn(db, err, "init says where the store is")
        self.assertEqual(mode(db), 0o600)
        self.assertEqual(mode(os.path.dirname(db)), 0o700)
        self.assertEqual(mode(os.path.join(self.tmp, "private")), 0o700)
        for suffix in ("-wal", "-shm", "-journal"):
            if os.path.exists(db + suffix):
                self.assertEqual(mode(db + suffix), 0o600, suffix)

    def test_store_is_0600_even_with_umask_000(self):
        code, out, err = self.fb("init", "--me", "zhangwei", "--name", "张伟", umask=0o000)
        self.assertEqual(code, 0, err)
        self.assertEqual(mode(self.db), 0o600)
        code, out, err = self.fb("visit", "add", "蓝海科技", "--outcome", "contact", umask=0o000)
        self.assertEqual(code, 0, err)
        self.assertEqual(mode(self.db), 0o600)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                self.assertEqual(mode(self.db + suffix), 0o600, suffix)

    def test_default_store_under_xdg_data_home(self):
        code, out, err = self.fb("init", "--me", "zhangwei", "--name", "张伟",
                                 unset=["FIELDBOOK_DB"], umask=0o022)
        self.assertEqual(code, 0, err)
        expected = os.path.join(self.data_home, "fieldbook", "fieldbook.db")
        self.assertTrue(os.path.isfile(expected))
        self.assertEqual(mode(expected), 0o600)
        self.assertEqual(mode(os.path.dirname(expected)), 0o700)
        out, err = self.fb_ok("db", "path", unset=["FIELDBOOK_DB"])
        self.assertEqual(out.strip(), expected)
        self.assertFalse(os.path.exists(self.db), "FIELDBOOK_DB was unset; nothing goes there")

    def test_init_is_idempotent(self):
        self.init_store()
        vid = self.add_visit("蓝海科技", "--note", "第一次拜访")
        before = self.db_snapshot()
        code, out, err = self.fb("init", "--me", "zhangwei", "--name", "张伟",
                                 "--timezone", "Asia/Shanghai")
        self.assertEqual(code, 0, err)
        code, out, err = self.fb("init")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.db_snapshot()["visit"], before["visit"])
        self.assertEqual(self.db_snapshot()["rep"], before["rep"])
        reps = self.json_rows("rep", "list")
        self.assertEqual([r["handle"] for r in reps], ["zhangwei"])
        self.assertEqual(self.show_visit(vid)["note"], "第一次拜访")

    def test_init_migrates_an_existing_empty_file_and_reopens(self):
        with open(self.db, "wb"):
            pass
        os.chmod(self.db, 0o644)
        self.init_store()
        self.assertEqual(mode(self.db), 0o600, "the store holds personal data")
        version = self.sql("PRAGMA user_version")[0][0]
        self.assertGreater(version, 0)
        self.assertEqual(self.sql("PRAGMA journal_mode")[0][0].lower(), "wal")
        out, err = self.fb_ok("db", "check")
        self.assertIn("ok", out + err)
        # re-open: same version, still usable
        self.add_visit("蓝海科技")
        self.assertEqual(self.sql("PRAGMA user_version")[0][0], version)

    def test_db_path_and_check(self):
        out, err = self.fb_ok("db", "path")
        self.assertEqual(out, self.db + "\n")
        other = os.path.join(self.tmp, "other.db")
        out, err = self.fb_ok("--db", other, "db", "path")
        self.assertEqual(out, other + "\n", "--db wins over FIELDBOOK_DB")
        self.assertFalse(os.path.exists(self.db) or os.path.exists(other),
                         "db path creates nothing")
        self.init_store()
        self.add_visit("蓝海科技")
        code, out, err = self.fb("db", "check")
        self.assertEqual(code, 0, err)
        self.assertIn("ok", out + err)
        self.assertIn(self.db, out + err)

    def test_db_backup_is_consistent_and_private(self):
        self.init_store()
        self.add_visit("蓝海科技", "--note", "备份测试")
        target = os.path.join(self.tmp, "backup.db")
        code, out, err = self.fb("db", "backup", target, umask=0o022)
        self.assertEqual(code, 0, err)
        self.assertEqual(mode(target), 0o600)
        rows = self.json_rows("--db", target, "visit", "list")
        self.assertEqual([r["note"] for r in rows], ["备份测试"])
        # refuses to overwrite
        with open(target, "rb") as f:
            content = f.read()
        code, out, err = self.fb("db", "backup", target)
        self.assertEqual(code, 2, err)
        self.assertIn(target, err)
        with open(target, "rb") as f:
            self.assertEqual(f.read(), content)


class MissingStoreTest(FieldbookTestCase):

    READ_COMMANDS = [
        ["visit", "list"],
        ["visit", "list", "--on", "today", "--format", "csv"],
        ["visit", "show", "1"],
        ["visit", "search", "纸"],
        ["customer", "list"],
        ["customer", "show", "蓝海"],
        ["rep", "list"],
        ["db", "check"],
    ]

    def test_read_commands_on_missing_store_exit_1_with_hint_and_create_nothing(self):
        db = os.path.join(self.tmp, "nodir", "fb.db")
        for args in self.READ_COMMANDS:
            with self.subTest(args=args):
                code, out, err = self.fb(*args, env={"FIELDBOOK_DB": db})
                self.assertEqual(code, 1, err)
                self.assertIn("fieldbook init", err)
                self.assertIn(db, err)
                self.assertEqual(out, "")
                self.assertFalse(os.path.exists(os.path.dirname(db)),
                                 f"{args} created {os.path.dirname(db)}")

    def test_read_command_on_missing_default_store_creates_nothing(self):
        code, out, err = self.fb("visit", "list", unset=["FIELDBOOK_DB"])
        self.assertEqual(code, 1, err)
        self.assertIn("fieldbook init", err)
        self.assertFalse(os.path.exists(self.data_home))
        self.assertEqual(os.listdir(self.tmp), ["home"])
        self.assertEqual(os.listdir(self.home), [])

    def test_write_commands_on_missing_store_do_not_create_one(self):
        for args in (["visit", "add", "蓝海科技", "--outcome", "contact"],
                     ["customer", "add", "蓝海科技"],
                     ["rep", "add", "lina", "--name", "李娜"]):
            with self.subTest(args=args):
                code, out, err = self.fb(*args)
                self.assertEqual(code, 1, err)
                self.assertIn("fieldbook init", err)
                self.assertFalse(os.path.exists(self.db))


class FailedCommandTest(FieldbookTestCase):
    """Invalid input exits 2 and writes nothing: the listings and every table row are the same."""

    def setUp(self):
        super().setUp()
        self.init_store()
        self.add_rep("lina", "李娜")
        self.add_visit("成都办公伙伴公司", "--building", "天府软件园B座", "--floor", "12",
                       "--room", "1203", "--contact", "王芳", "--role", "gatekeeper",
                       "--note", "留了目录", "--next", "+3d")
        self.add_visit("蓝海科技有限公司", outcome="refused")

    def test_bad_outcome_writes_nothing(self):
        result = self.assertUnchangedBy(lambda: self.fb(
            "visit", "add", "新客户公司", "--outcome", "maybe", "--note", "不该写入"))
        self.assertIn("maybe", result[2])

    def test_invalid_utf8_note_writes_nothing(self):
        result = self.assertUnchangedBy(lambda: self.fb_bytes(
            "visit", "add", "新客户公司", "--outcome", "contact", "--note", b"bad \xff\xfe note"))
        self.assertIn(b"UTF-8", result[2])

    def test_invalid_utf8_customer_writes_nothing(self):
        result = self.assertUnchangedBy(lambda: self.fb_bytes(
            "visit", "add", b"\xe8\x93", "--outcome", "contact"))
        self.assertIn(b"UTF-8", result[2])

    def test_bad_next_date_after_new_customer_writes_nothing(self):
        # the customer would be created before the follow-up date is looked at
        result = self.assertUnchangedBy(lambda: self.fb(
            "visit", "add", "全新文具店", "--building", "环球中心", "--floor", "5",
            "--room", "501", "--outcome", "contact", "--contact", "赵敏", "--next", "someday"))
        self.assertIn("someday", result[2])

    def test_bad_contact_role_writes_nothing(self):
        self.assertUnchangedBy(lambda: self.fb(
            "visit", "add", "全新文具店", "--outcome", "contact", "--contact", "赵敏",
            "--role", "boss"))

    def test_bad_next_channel_writes_nothing(self):
        self.assertUnchangedBy(lambda: self.fb(
            "visit", "add", "全新文具店", "--outcome", "contact", "--next", "+3d",
            "--next-channel", "fax"))

    def test_near_duplicate_refusal_writes_nothing(self):
        self.assertUnchangedBy(lambda: self.fb(
            "visit", "add", "蓝海科技", "--outcome", "contact", "--note", "重复"))

    def test_unknown_as_writes_nothing(self):
        self.assertUnchangedBy(lambda: self.fb(
            "--as", "nobody", "visit", "add", "全新文具店", "--outcome", "contact"))

    def test_failed_edit_writes_nothing(self):
        vid = min(self.visit_ids())
        self.assertUnchangedBy(lambda: self.fb(
            "visit", "edit", str(vid), "--note", "改了", "--outcome", "great"))
        self.assertUnchangedBy(lambda: self.fb(
            "visit", "edit", str(vid), "--at", "not a time"))

    def test_failed_customer_add_writes_nothing(self):
        self.assertUnchangedBy(lambda: self.fb(
            "customer", "add", "全新文具店", "--source", "tv"))

    def test_failed_rep_add_writes_nothing(self):
        self.assertUnchangedBy(lambda: self.fb("rep", "add", "lina", "--name", "另一个李娜"))
        self.assertUnchangedBy(lambda: self.fb("rep", "add", "wang lei", "--name", "王磊"))


class FailedInitTest(FieldbookTestCase):
    """init with invalid input must not leave a store (or its directory) behind."""

    def check_nothing_created(self, *args):
        db = os.path.join(self.tmp, "newdir", "fb.db")
        code, out, err = self.fb_bytes("init", *args, env={"FIELDBOOK_DB": db})
        self.assertEqual(code, 2, err)
        self.assertIn(b"fieldbook: error:", err)
        self.assertFalse(os.path.exists(db), f"init {args} failed with exit 2 but created {db}")
        self.assertFalse(os.path.exists(os.path.dirname(db)),
                         f"init {args} failed with exit 2 but created its directory")

    def test_unknown_timezone_creates_nothing(self):
        self.check_nothing_created("--me", "zhangwei", "--name", "张伟", "--timezone", "Mars/Base")

    def test_bad_role_creates_nothing(self):
        self.check_nothing_created("--me", "zhangwei", "--name", "张伟", "--role", "boss")

    def test_bad_handle_creates_nothing(self):
        self.check_nothing_created("--me", "zhang wei", "--name", "张伟")

    def test_invalid_utf8_name_creates_nothing(self):
        self.check_nothing_created("--me", "zhangwei", "--name", b"\xff\xfe")


class TombstoneTest(FieldbookTestCase):

    def test_deleted_visit_is_hidden_but_kept(self):
        self.init_store()
        keep = self.add_visit("锦城律师事务所", "--note", "需要硒鼓和打印纸")
        gone = self.add_visit("华西文具批发", "--note", "记错了客户，需要打印纸")
        self.assertEqual(self.visit_ids(), {keep, gone})
        counts = {c["name"]: c["visits"] for c in self.customers()}
        self.assertEqual(counts["华西文具批发"], 1)

        code, out, err = self.fb("visit", "delete", str(gone))
        self.assertEqual(code, 0, err)
        self.assertIn(str(gone), err)

        self.assertEqual(self.visit_ids(), {keep})
        self.assertEqual({r["id"] for r in self.json_rows("visit", "search", "打印纸")}, {keep})
        self.assertEqual(self.json_rows("visit", "list", "--customer", "华西文具批发"), [])
        code, out, err = self.fb("visit", "show", str(gone))
        self.assertEqual(code, 1, err)
        self.assertIn(str(gone), err)
        counts = {c["name"]: c["visits"] for c in self.customers()}
        self.assertEqual(counts.get("华西文具批发", 0), 0,
                         "customer list must not count a deleted visit")

        rows = self.sql("SELECT id, deleted_at, note FROM visit ORDER BY id")
        self.assertEqual(len(rows), 2, "a delete is a tombstone: the row stays in the file")
        by_id = {r[0]: r for r in rows}
        self.assertIsNotNone(by_id[gone][1])
        self.assertEqual(by_id[gone][2], "记错了客户，需要打印纸")
        self.assertIsNone(by_id[keep][1])

        # deleting again: not found
        code, out, err = self.fb("visit", "delete", str(gone))
        self.assertEqual(code, 1, err)
        self.assertIn("fieldbook: error:", err)


class IdentityTest(FieldbookTestCase):

    def test_every_record_has_a_unique_uuid7_and_both_instants(self):
        self.init_store()
        self.add_rep("lina", "李娜")
        self.add_visit("成都办公伙伴公司", "--contact", "王芳", "--role", "gatekeeper",
                       "--next", "tomorrow")
        self.add_visit("ACME Ltd", "--at", "yesterday")
        seen = set()
        for table in ("rep", "customer", "contact", "visit", "followup"):
            rows = self.sql(f"SELECT uuid, created_at, updated_at FROM {table}")
            self.assertTrue(rows, f"{table} has rows")
            for uuid, created, updated in rows:
                self.assertRegex(uuid, UUID7_RE, f"{table}.uuid is not a UUIDv7")
                self.assertNotIn(uuid, seen)
                seen.add(uuid)
                self.assertTrue(created and updated)
        v = self.json_rows("visit", "list")[0]
        shown = self.show_visit(v["id"])
        self.assertRegex(shown["uuid"], UUID7_RE)

    def test_visit_stores_utc_instant_and_local_day(self):
        self.init_store(timezone="Asia/Shanghai")
        # 07:30 in Shanghai is still the previous day in UTC
        vid = self.add_visit("蓝海科技", "--at", "2026-11-26 07:30")
        shown = self.show_visit(vid)
        self.assertEqual(shown["day"], "2026-11-26")
        self.assertEqual(shown["time"], "07:30")
        self.assertEqual(shown["at_utc"], "2026-11-25T23:30:00Z")
        row = self.sql("SELECT at_utc, day FROM visit WHERE id = ?", (vid,))[0]
        self.assertEqual(row[1], "2026-11-26")
        self.assertTrue(row[0].startswith("2026-11-25T23:30"), row[0])
        # the process time zone does not move the team's day
        vid2 = self.add_visit("锦城律师事务所", env={"TZ": "UTC"})
        self.assertEqual(self.show_visit(vid2)["day"], TODAY)
        self.assertEqual(self.show_visit(vid2)["time"], "10:00")

    def test_config_timezone_sets_the_calendar_day(self):
        self.init_store(timezone=None)
        self.write_config('timezone = "America/New_York"\n')
        # 2026-11-26 10:00 in Shanghai is 2026-11-25 21:00 in New York
        vid = self.add_visit("蓝海科技")
        shown = self.show_visit(vid)
        self.assertEqual(shown["day"], "2026-11-25")
        self.assertEqual(shown["at_utc"], "2026-11-26T02:00:00Z")


class ConcurrencyTest(FieldbookTestCase):
    WORKERS = 8
    PER_WORKER = 50
    NAMES = ["成都办公伙伴公司", "蓝海数据科技", "锦城律师事务所", "华西医疗器械",
             "天府软件外包", "西南建筑设计院", "川味餐饮管理", "博学教育咨询"]

    def hammer(self, customer_for):
        self.init_store()
        stop = threading.Event()
        sibling_modes = []

        def watch():
            while not stop.is_set():
                for suffix in ("-wal", "-shm"):
                    try:
                        sibling_modes.append((suffix, mode(self.db + suffix)))
                    except FileNotFoundError:
                        pass
                stop.wait(0.005)

        def worker(w):
            results = []
            for i in range(self.PER_WORKER):
                code, out, err = self.fb("visit", "add", customer_for(w), "--outcome", "contact",
                                         "--note", f"worker {w} visit {i}", umask=0o022,
                                         timeout=120)
                results.append((w, i, code, err))
            return results

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with concurrent.futures.ThreadPoolExecutor(self.WORKERS) as pool:
                results = [r for rs in pool.map(worker, range(self.WORKERS)) for r in rs]
        finally:
            stop.set()
            watcher.join()

        failed = [r for r in results if r[2] != 0]
        self.assertEqual(failed, [], "every process exits 0")
        locked = [r for r in results if "locked" in r[3].lower() or "busy" in r[3].lower()]
        self.assertEqual(locked, [], "no process reports a locked/busy store")
        visits = self.json_rows("visit", "list")
        self.assertEqual(len(visits), self.WORKERS * self.PER_WORKER)
        notes = sorted(v["note"] for v in visits)
        expected = sorted(f"worker {w} visit {i}"
                          for w in range(self.WORKERS) for i in range(self.PER_WORKER))
        self.assertEqual(notes, expected, "every visit exactly once")
        self.assertEqual(len({v["id"] for v in visits}), len(visits))
        for suffix, m in sibling_modes:
            self.assertEqual(m, 0o600, f"{suffix} seen with mode {oct(m)}")
        self.assertEqual(mode(self.db), 0o600)
        out, err = self.fb_ok("db", "check")
        return visits

    def test_eight_processes_fifty_visits_each_distinct_customers(self):
        visits = self.hammer(lambda w: self.NAMES[w])
        customers = self.customers()
        self.assertEqual(sorted(c["name"] for c in customers), sorted(self.NAMES))
        for c in customers:
            self.assertEqual(c["visits"], self.PER_WORKER)

    def test_eight_processes_fifty_visits_each_same_new_customer(self):
        self.hammer(lambda w: "同一家新公司")
        customers = self.customers()
        self.assertEqual(len(customers), 1, "racing processes must not create the customer twice")
        self.assertEqual(customers[0]["visits"], self.WORKERS * self.PER_WORKER)


if __name__ == "__main__":
    unittest.main()
