"""Every error path: the exit code (1 failure / not found, 2 usage or invalid input), a message on
stderr in the form `fieldbook: error: ...` that names what is wrong, and nothing on stdout."""

import os
import re
import unittest

from fbtest import FieldbookTestCase, OUTCOMES

HUGE_NUMBER = re.compile(r"\d{30,}")


class MissingStoreErrorTest(FieldbookTestCase):

    def test_missing_store_is_exit_1_with_init_hint(self):
        for args in (["visit", "list"], ["customer", "list"], ["visit", "add", "蓝海科技",
                                                               "--outcome", "contact"]):
            with self.subTest(args=args):
                self.assertFailure(self.fb(*args), "no store", self.db, "fieldbook init")
        self.assertFalse(os.path.exists(self.db))

    def test_not_a_database_is_exit_1(self):
        with open(self.db, "w") as f:
            f.write("this is not a database\n" * 100)
        code, out, err = self.fb("visit", "list")
        self.assertEqual(code, 1, err)
        self.assertIn("fieldbook: error:", err)
        self.assertIn(self.db if os.path.isabs(self.db) else "fb.db", err)
        with open(self.db) as f:
            self.assertEqual(f.read(), "this is not a database\n" * 100, "left untouched")


class UsageErrorTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()

    def test_unknown_subcommand_is_named(self):
        self.assertUsageError(self.fb("bogus"), "bogus")
        self.assertUsageError(self.fb("visit", "bogus"), "bogus")

    def test_missing_subcommand(self):
        code, out, err = self.fb()
        self.assertEqual(code, 2, err)
        self.assertIn("fieldbook: error:", err)
        self.assertIn("--help", err)
        self.assertUsageError(self.fb("visit"), "needs a command (add, list")

    def test_unknown_option_is_named(self):
        self.assertUsageError(self.fb("visit", "list", "--bogus"), "--bogus")
        self.assertUsageError(self.fb("visit", "add", "蓝海科技", "--outcome", "contact",
                                      "--colour", "red"), "--colour")

    def test_missing_option_value_and_positional(self):
        self.assertUsageError(self.fb("visit", "add", "蓝海科技", "--outcome"), "--outcome")
        self.assertUsageError(self.fb("rep", "add"), "handle")
        self.assertUsageError(self.fb("rep", "add", "lina"), "--name")
        self.assertUsageError(self.fb("visit", "show"), "id")

    def test_bad_outcome_lists_accepted_words(self):
        code, out, err = self.fb("visit", "add", "蓝海科技", "--outcome", "maybe")
        self.assertUsageError((code, out, err), "'maybe'", *OUTCOMES)
        self.assertUsageError(self.fb("visit", "list", "--outcome", "great"), "great", *OUTCOMES)
        # outcome words are the English ones; a misspelling is not guessed
        self.assertUsageError(self.fb("visit", "add", "蓝海科技", "--outcome", "contacted"),
                              "contacted")
        self.assertEqual(self.json_rows("visit", "list"), [])

    def test_bad_enumerations_list_accepted_words(self):
        cases = [
            (["visit", "add", "蓝海科技", "--outcome", "contact", "--kind", "walk"],
             ["walk", "initial", "revisit", "phone", "email", "negotiation", "after-sales"]),
            (["visit", "add", "蓝海科技", "--outcome", "contact", "--contact", "王芳",
              "--role", "boss"],
             ["boss", "gatekeeper", "purchaser", "decision-maker", "inside", "other"]),
            (["visit", "add", "蓝海科技", "--outcome", "contact", "--next", "+3d",
              "--next-channel", "fax"], ["fax", "phone", "email", "visit"]),
            (["customer", "add", "蓝海科技", "--source", "tv"],
             ["tv", "sweep", "referral", "directory", "web", "press", "other"]),
            (["customer", "list", "--status", "sleeping"],
             ["sleeping", "prospect", "contacted", "interested", "negotiating", "customer",
              "lost", "dormant"]),
            (["rep", "add", "lina", "--name", "李娜", "--role", "boss"],
             ["boss", "rep", "manager", "leader"]),
        ]
        for args, words in cases:
            with self.subTest(args=args):
                self.assertUsageError(self.fb(*args), *words)
        self.assertEqual(self.json_rows("visit", "list"), [])
        self.assertEqual(self.customers(), [])

    def test_next_channel_without_next_is_refused(self):
        for channel in ("fax", "email"):
            with self.subTest(channel=channel):
                code, out, err = self.fb("visit", "add", "蓝海科技", "--outcome", "contact",
                                         "--next-channel", channel)
                self.assertUsageError((code, out, err), "--next-channel")
        self.assertEqual(self.json_rows("visit", "list"), [])

    def test_contact_details_need_a_contact_name(self):
        # A phone or an email alone is an unnamed contact (a reception desk's number); a role
        # or a card needs a name or a number to belong to.
        self.assertUsageError(self.fb("visit", "add", "蓝海科技", "--outcome", "contact",
                                      "--role", "gatekeeper", "--card"), "--contact")
        # a correction does not swap the person met for a number
        self.fb_ok("visit", "add", "蓝海科技", "--outcome", "contact")
        self.assertUsageError(self.fb("visit", "edit", "1", "--phone", "13800001234"),
                              "--contact")

    def test_negative_headcount_is_a_usage_error(self):
        for cmd in (["visit", "add", "蓝海科技", "--outcome", "contact"],
                    ["customer", "add", "蓝海科技"]):
            with self.subTest(cmd=cmd):
                code, out, err = self.fb(*cmd, "--headcount", "-3")
                self.assertUsageError((code, out, err), "--headcount", "-3")
        self.assertEqual(self.customers(), [])

    def test_number_errors_are_readable(self):
        for args, value in ((["visit", "add", "蓝海科技", "--outcome", "contact",
                              "--headcount", "-3"], "-3"),
                            (["visit", "add", "蓝海科技", "--outcome", "contact",
                              "--headcount", "abc"], "abc"),
                            (["visit", "list", "--limit", "0"], "0")):
            with self.subTest(args=args):
                code, out, err = self.fb(*args)
                self.assertEqual(code, 2, err)
                self.assertIn(value, err)
                self.assertNotRegex(err, HUGE_NUMBER,
                                    "the message should say what is accepted (e.g. a whole "
                                    "number ≥ 0), not print the range of a double")

    def test_invalid_utf8_is_a_usage_error(self):
        code, out, err = self.fb_bytes("visit", "add", "蓝海科技", "--outcome", "contact",
                                       "--note", b"\xc3\x28")
        self.assertEqual(code, 2, err)
        self.assertIn(b"fieldbook: error:", err)
        self.assertIn(b"UTF-8", err)
        self.assertIn(b"note", err)
        self.assertEqual(out, b"")

    def test_ambiguous_customer_part_lists_the_candidates(self):
        self.fb_ok("customer", "add", "蓝海数据科技")
        self.fb_ok("customer", "add", "蓝海物流")
        for args in (["customer", "show", "蓝海"], ["visit", "list", "--customer", "蓝海"]):
            with self.subTest(args=args):
                self.assertUsageError(self.fb(*args), "蓝海数据科技", "蓝海物流")

    def test_not_found_is_exit_1(self):
        self.assertFailure(self.fb("customer", "show", "不存在的公司"), "不存在的公司")
        self.assertFailure(self.fb("contact", "add", "不存在的公司", "王芳", "--role", "inside"),
                           "不存在的公司")
        self.assertFailure(self.fb("visit", "list", "--customer", "不存在的公司"), "不存在的公司")
        self.assertFailure(self.fb("visit", "show", "99999"), "99999")

    def test_rep_edit_unknown_handle_is_not_found(self):
        # like `visit show 99999` and `customer show NAME`: the record to act on does not exist
        self.assertFailure(self.fb("rep", "edit", "ghost", "--name", "鬼"), "ghost")

    def test_unknown_rep_filter_lists_known_handles(self):
        self.assertUsageError(self.fb("visit", "list", "--rep", "nobody"), "nobody", "zhangwei")


class RepErrorTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()

    def test_bad_handles(self):
        for handle in ("wang lei", "王磊", "a/b", "x" * 33, "semi;colon"):
            with self.subTest(handle=handle):
                code, out, err = self.fb("rep", "add", handle, "--name", "王磊")
                self.assertUsageError((code, out, err), handle, "letters, digits")
        self.assertEqual([r["handle"] for r in self.json_rows("rep", "list")], ["zhangwei"])

    def test_duplicate_handle(self):
        self.add_rep("lina", "李娜")
        before = self.db_snapshot()
        for handle in ("lina", "LiNa", "zhangwei"):
            with self.subTest(handle=handle):
                code, out, err = self.fb("rep", "add", handle, "--name", "另一个人")
                self.assertUsageError((code, out, err), handle.lower(), "taken")
        self.assertEqual(self.db_snapshot(), before)


class ConfigErrorTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()

    def test_unknown_key_has_file_line_column(self):
        path = self.write_config('me = "zhangwei"\ncolour = "always"\n')
        code, out, err = self.fb("visit", "list")
        self.assertUsageError((code, out, err), f"{path}:2:1", "colour", "db", "me", "timezone")

    def test_syntax_error_has_file_line_column(self):
        path = self.write_config('me = "zhangwei"\ntimezone = \n')
        code, out, err = self.fb("visit", "list")
        self.assertEqual(code, 2, err)
        self.assertRegex(err, re.escape(path) + r":2:\d+: ")
        self.assertEqual(out, "")
        path = self.write_config('[section\n')
        code, out, err = self.fb("visit", "list")
        self.assertEqual(code, 2, err)
        self.assertRegex(err, re.escape(path) + r":1:\d+: ")

    def test_wrong_type_and_bad_values(self):
        path = self.write_config("me = 5\n")
        self.assertUsageError(self.fb("visit", "list"), f"{path}:1:", "me")
        path = self.write_config('timezone = "Mars/Base"\n')
        self.assertUsageError(self.fb("visit", "list"), f"{path}:1:", "Mars/Base")
        self.write_config('me = "ghost"\n')
        self.assertUsageError(self.fb("visit", "add", "蓝海科技", "--outcome", "contact"),
                              "ghost", "zhangwei")

    def test_config_from_option_and_environment(self):
        path = os.path.join(self.tmp, "elsewhere.toml")
        self.write_config('bogus_key = 1\n', path)
        self.assertUsageError(self.fb("--config", path, "visit", "list"), f"{path}:1:1",
                              "bogus_key")
        self.assertUsageError(self.fb("visit", "list", env={"FIELDBOOK_CONFIG": path}),
                              f"{path}:1:1")
        # the default config file is not read when another is named
        self.write_config('me = "zhangwei"\n')
        self.fb_ok("visit", "list")

    def test_named_config_file_must_exist(self):
        path = os.path.join(self.tmp, "nope.toml")
        self.assertUsageError(self.fb("--config", path, "visit", "list"), path)
        self.assertUsageError(self.fb("visit", "list", env={"FIELDBOOK_CONFIG": path}), path)
        # the default config file is optional
        self.assertFalse(os.path.exists(self.config_file))
        self.fb_ok("visit", "list")

    def test_config_db_and_me_are_used(self):
        other = os.path.join(self.tmp, "other.db")
        self.write_config(f'db = "{other}"\n')
        out, err = self.fb_ok("db", "path", unset=["FIELDBOOK_DB"])
        self.assertEqual(out.strip(), other)
        out, err = self.fb_ok("db", "path")
        self.assertEqual(out.strip(), self.db, "FIELDBOOK_DB wins over config db")
        self.add_rep("lina", "李娜")
        self.write_config('me = "lina"\n')
        vid = self.add_visit("蓝海科技")
        self.assertEqual(self.show_visit(vid)["rep"], "lina")


class ClockErrorTest(FieldbookTestCase):

    def test_bad_fieldbook_now(self):
        self.init_store()
        code, out, err = self.fb("visit", "list", env={"FIELDBOOK_NOW": "garbage"})
        self.assertUsageError((code, out, err), "FIELDBOOK_NOW", "garbage")

    def test_fieldbook_now_in_utc_gives_the_local_day(self):
        self.init_store()
        vid = self.add_visit("蓝海科技", env={"FIELDBOOK_NOW": "2026-11-25T17:30:00Z"})
        v = self.show_visit(vid)
        self.assertEqual((v["day"], v["time"], v["at_utc"]),
                         ("2026-11-26", "01:30", "2026-11-25T17:30:00Z"))
        rows = self.json_rows("visit", "list", "--on", "today",
                              env={"FIELDBOOK_NOW": "2026-11-25T17:30:00Z"})
        self.assertEqual([r["id"] for r in rows], [vid])


class TimezoneErrorTest(FieldbookTestCase):

    def test_unknown_timezone(self):
        code, out, err = self.fb("init", "--me", "zhangwei", "--name", "张伟",
                                 "--timezone", "Mars/Base")
        self.assertUsageError((code, out, err), "Mars/Base", "Asia/Shanghai")
        self.assertFalse(os.path.exists(self.db))
        self.init_store()
        before = self.db_snapshot()
        code, out, err = self.fb("init", "--timezone", "Mars/Base")
        self.assertUsageError((code, out, err), "Mars/Base")
        self.assertEqual(self.db_snapshot(), before)


if __name__ == "__main__":
    unittest.main()
