"""What fieldbook takes from the command line, checked by one set of rules in every command:
free text (UTF-8, at most 4000 characters, no character that hides or disguises text), one
range of dates (2000-01-01 to 2099-12-31), numbers in ASCII or full-width digits, strict
amounts, and `visit add` refusing a location that contradicts the customer's instead of
ignoring it. Every refusal exits 2, names the field, and leaves the store as it was (compared
with sqlite3).
"""

import unittest

from fbtest import FieldbookTestCase

RANGE = "is outside 2000-01-01 to 2099-12-31"


class InputCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟", role="leader")
        self.add_rep("lina", "李娜")

    def refused(self, *args, needles=(), **kw):
        """Runs a command that must be refused (exit 2) without writing a row (the store read
        with sqlite3 before and after); returns stderr."""
        before = self.db_snapshot()
        code, out, err = self.fb_bytes(*args, **kw)
        err = err.decode("utf-8")
        self.assertEqual(code, 2, err)
        self.assertEqual(self.db_snapshot(), before)
        self.assertEqual(out, b"")
        self.assertIn("fieldbook: error: ", err)
        for needle in needles:
            self.assertIn(needle, err)
        return err


class KnownCustomerLocationTest(InputCase):
    """`visit add` on a known customer with --building/--floor/--room/--industry."""

    def setUp(self):
        super().setUp()
        self.fb_ok("customer", "add", "蓝海数据科技", "--building", "天府软件园B座",
                   "--floor", "12", "--room", "1203", "--industry", "互联网")

    def test_a_different_value_is_refused_naming_both(self):
        for flag, stored, given in [("--building", "天府软件园B座", "环球中心"),
                                    ("--floor", "12", "13"),
                                    ("--room", "1203", "1204"),
                                    ("--industry", "互联网", "教育")]:
            with self.subTest(flag=flag):
                field = flag[2:]
                err = self.refused("visit", "add", "蓝海数据科技", "--outcome", "contact",
                                   flag, given)
                self.assertIn(f"fieldbook: error: {field}: customer #1 蓝海数据科技 has "
                              f"'{stored}', not '{given}'", err)
                self.assertIn(f"hint: leave {flag} out, or first: fieldbook customer edit 1 "
                              f"{flag} '{given}'", err)

    def test_the_same_value_however_written_is_accepted_and_changes_nothing(self):
        self.add_visit("蓝海数据科技", "--building", "天府软件园Ｂ座", "--floor", "12F",
                       "--room", "１２０３", "--industry", "互联网")
        c = self.json_rows("customer", "show", "蓝海数据科技")[0]
        self.assertEqual((c["building"], c["floor"], c["room"], c["industry"]),
                         ("天府软件园B座", "12", "1203", "互联网"))

    def test_a_location_the_customer_lacks_is_filled_in(self):
        self.fb_ok("customer", "add", "红星商贸")
        self.add_visit("红星商贸", "--building", "环球中心", "--room", "301")
        c = self.json_rows("customer", "show", "红星商贸")[0]
        self.assertEqual((c["building"], c["room"], c["floor"]), ("环球中心", "301", None))

    def test_bad_text_is_refused_naming_the_field_whether_or_not_it_differs(self):
        for flag in ("--building", "--floor", "--room", "--industry"):
            field = flag[2:]
            for value, needle in [(b"\xff\xfe", f"{field}: not valid UTF-8"),
                                  (b"\x1b[2J12", f"{field}: character 1 is U+001B"),
                                  ("12\u202e".encode(), f"{field}: character 3 is U+202E")]:
                for customer in ("蓝海数据科技", "新客户"):
                    with self.subTest(flag=flag, value=value, customer=customer):
                        err = self.refused("visit", "add", customer, "--outcome", "contact",
                                           flag, value, needles=[needle])
                        self.assertNotIn("\x1b", err, "no raw escape reaches the terminal")


class TextLengthTest(InputCase):
    """One limit, 4000 characters, for every free-text field."""

    def test_every_free_text_field_is_held_to_4000_characters(self):
        self.fb_ok("customer", "add", "蓝海数据科技")
        long = "楼" * 4001
        cases = [
            (["customer", "add", "新公司", "--building", long], "building"),
            (["customer", "edit", "蓝海数据科技", "--building", long], "building"),
            (["customer", "edit", "蓝海数据科技", "--notes", long], "notes"),
            (["visit", "add", "蓝海数据科技", "--outcome", "contact", "--contact", long],
             "contact"),
            (["visit", "add", "蓝海数据科技", "--outcome", "contact", "--contact", "王芳",
              "--email", "a" * 4001 + "@x.cn"], "email"),
            (["visit", "add", "新公司", "--outcome", "contact", "--building", long], "building"),
            (["visit", "add", "蓝海数据科技", "--outcome", "contact", "--note", long], "note"),
            (["contact", "add", "蓝海数据科技", "王芳", "--title", long], "title"),
            (["rep", "add", "wangwu", "--name", long], "name"),
            (["followup", "add", "蓝海数据科技", "--due", "+3d", "--note", long], "note"),
        ]
        for args, field in cases:
            with self.subTest(args=args[:3], field=field):
                self.refused(*args, needles=[f"{field}: longer than 4000 characters"])
        building = "楼" * 4000
        self.fb_ok("customer", "edit", "蓝海数据科技", "--building", building)
        self.assertEqual(self.sql("SELECT name FROM building"), [(building,)])


class DateRangeTest(InputCase):
    """Every date typed, on the command line as in a file, is from 2000-01-01 to 2099-12-31."""

    def test_one_range_for_every_date_flag(self):
        self.fb_ok("customer", "add", "蓝海数据科技")
        cases = [
            (["visit", "add", "蓝海数据科技", "--outcome", "contact", "--at", "0000-01-01"],
             "--at: 0000-01-01"),
            (["visit", "add", "蓝海数据科技", "--outcome", "contact", "--at",
              "1999-12-31 23:59"], "--at: 1999-12-31"),
            (["visit", "add", "蓝海数据科技", "--outcome", "contact", "--next", "9999-12-31"],
             "--next: 9999-12-31"),
            (["followup", "add", "蓝海数据科技", "--due", "2100-01-01"], "--due: 2100-01-01"),
            (["order", "add", "蓝海数据科技", "--amount", "100", "--on", "1999-12-31"],
             "--on: 1999-12-31"),
            (["order", "add", "蓝海数据科技", "--amount", "100", "--due", "9999-12-31"],
             "--due: 9999-12-31"),
        ]
        for args, needle in cases:
            with self.subTest(args=args):
                self.refused(*args, needles=[f"{needle} {RANGE}"])
        code, out, err = self.fb("visit", "list", "--since", "1970-01-01")
        self.assertEqual(code, 2)
        self.assertIn(f"--since: 1970-01-01 {RANGE}", err)
        self.add_visit("蓝海数据科技", "--at", "2000-01-01 00:00")

    def test_impossible_days_and_times_are_not_read(self):
        self.fb_ok("customer", "add", "蓝海数据科技")
        for at in ("2026-02-30", "2026-13-01", "2026-11-26 24:00", "2026-11-26 23:59:60"):
            with self.subTest(at=at):
                self.refused("visit", "add", "蓝海数据科技", "--outcome", "contact", "--at", at,
                             needles=[f"--at: cannot read '{at}'"])


class NumbersTest(InputCase):
    """Full-width digits are digits in every number; amounts are strict."""

    def test_full_width_digits_everywhere(self):
        self.fb_ok("customer", "add", "蓝海数据科技", "--headcount", "１２０")
        self.assertEqual(self.json_rows("customer", "show", "蓝海数据科技")[0]["headcount"], 120)
        self.add_visit("蓝海数据科技", "--headcount", "８５")
        self.assertEqual(self.json_rows("customer", "show", "蓝海数据科技")[0]["headcount"], 85)
        self.add_visit("红星商贸")
        self.assertEqual(len(self.json_rows("visit", "list", "--limit", "１")), 1)
        self.fb_ok("order", "add", "蓝海数据科技", "--items", "PA-A4-70:１０")
        self.fb_ok("order", "add", "蓝海数据科技", "--amount", "１,２８０.５０")
        self.assertEqual(sorted(o["amount"] for o in self.json_rows("order", "list"))[-1],
                         1280.5)
        self.fb_ok("meeting", "plan", "--rep", "lina", "--visits", "２０")
        rows = self.json_rows("visit", "catalog", "--qty", "１０", "--search", "PA-A4-70")
        self.assertTrue(rows)
        code, out, err = self.fb("visit", "add", "蓝海数据科技", "--outcome", "contact",
                                 "--headcount", "十二")
        self.assertEqual(code, 2)
        self.assertIn("'十二' is not a whole number", err)

    def test_amounts_are_strict(self):
        self.fb_ok("customer", "add", "蓝海数据科技")
        for amount in (",100", "1,00,0", "100,0", ".5", "1.", "1.234", "-1", "1e9", "NaN",
                       "99999999999999", "1 000", "１,,０００"):
            with self.subTest(amount=amount):
                self.refused("order", "add", "蓝海数据科技", "--amount", amount,
                             needles=[f"--amount: '{amount}' is not an amount in yuan"])
        self.fb_ok("order", "add", "蓝海数据科技", "--amount", "1,000", "--due", "+10d")
        self.refused("order", "pay", "1", "--amount", ",5",
                     needles=["--amount: ',5' is not an amount in yuan"])
        self.assertEqual([o["amount"] for o in self.json_rows("order", "list")], [1000])


class HiddenCharactersTest(InputCase):
    """A CR alone, bidi controls and invisible characters are refused in free text."""

    def test_refused_in_every_free_text_field_naming_it(self):
        self.fb_ok("customer", "add", "蓝海数据科技")
        fields = [
            (["visit", "add", "蓝海数据科技", "--outcome", "contact", "--note"], "note"),
            (["visit", "add", "蓝海数据科技", "--outcome", "contact", "--improve"], "improve"),
            (["customer", "edit", "蓝海数据科技", "--notes"], "notes"),
            (["customer", "add", "新公司", "--brands"], "brands"),
            (["contact", "add", "蓝海数据科技", "王芳", "--title"], "title"),
            (["followup", "add", "蓝海数据科技", "--due", "+1d", "--note"], "note"),
            (["order", "add", "蓝海数据科技", "--amount", "10", "--note"], "note"),
            (["rep", "add", "wangwu", "--name"], "name"),
        ]
        values = [("行一\r行二", "is U+000D, a carriage return not followed by a line feed"),
                  ("合同\u202etxt.exe", "is U+202E, a bidirectional control"),
                  ("蓝\u2066海", "is U+2066, a bidirectional control"),
                  ("蓝\u200b海", "is U+200B, an invisible formatting character"),
                  ("蓝\ufeff海", "is U+FEFF, an invisible formatting character"),
                  ("蓝\u2028海", "is U+2028, a line separator"),
                  ("\u200d", "is U+200D, a zero-width joiner that joins nothing"),
                  ("蓝\x07海", "is U+0007, a control character")]
        for args, field in fields:
            for value, needle in values:
                with self.subTest(field=field, value=value):
                    self.refused(*args, value, needles=[f"{field}: character ", needle])

    def test_crlf_is_stored_as_lf_and_emoji_sequences_as_typed(self):
        note = "第一行\r\n第二行 👨\u200d👩\u200d👧 ❤\ufe0f\u200d🔥 👍🏽\t完"
        visit = self.add_visit("蓝海数据科技", "--note", note)
        self.assertEqual(self.show_visit(visit)["note"], note.replace("\r\n", "\n"))
        self.assertEqual(self.sql("SELECT note FROM visit"), [(note.replace("\r\n", "\n"),)])

    def test_messages_show_control_characters_instead_of_sending_them(self):
        code, out, err = self.fb_bytes("customer", "show", b"\x1b[2J\x1b]0;owned\x07\r")
        self.assertEqual(code, 1)
        self.assertNotIn(b"\x1b", err)
        self.assertNotIn(b"\r", err)
        self.assertIn(b"<U+001B>[2J", err)

    def test_invalid_utf8_names_the_field(self):
        cases = [
            (["customer", "add", b"\xff\xfe"], "name: not valid UTF-8"),
            (["visit", "add", b"\xe8\x93", "--outcome", "contact"], "customer: not valid UTF-8"),
            (["visit", "add", "新公司", "--outcome", "contact", "--building", b"\xc0\xaf"],
             "building: not valid UTF-8"),
            (["customer", "add", "新公司", "--office-size", b"\xed\xa0\x80"],
             "office size: not valid UTF-8"),
        ]
        for args, needle in cases:
            with self.subTest(needle=needle):
                self.refused(*args, needles=[needle])


if __name__ == "__main__":
    unittest.main()
