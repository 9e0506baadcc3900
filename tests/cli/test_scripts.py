"""Opening scripts: `visit script` (wrapped text, speaking-time estimates, --check),
`visit add --script`, the user's own scripts.toml in the config dir, `init --templates`, and
every scripts.toml error reported as FILE:LINE:COLUMN (exit 2).

Estimates are checked on fixed texts written here, so the expected seconds are plain
arithmetic: Chinese is timed by Han characters, other text by words, at the script's own
`rate` or the config's chars_per_minute (220) / words_per_minute (150).
"""

import json
import os
import re
import unittest

from fbtest import FieldbookTestCase, display_width

SHIPPED = ["first-visit", "revisit", "referral", "phone-follow-up"]

HAN_220 = "办公用品" * 55                    # exactly 220 Han characters
assert len(HAN_220) == 220
EN_150 = " ".join(["paper"] * 150)          # exactly 150 English words


def position(text, needle, nth=1):
    """(line, column) of the nth occurrence of needle, 1-based, column in characters."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def toml_basic(text):
    """text as a TOML basic string (quoted)."""
    return json.dumps(text, ensure_ascii=False)


class ScriptsCase(FieldbookTestCase):

    def scripts_path(self):
        return os.path.join(self.config_home, "fieldbook", "scripts.toml")

    def write_scripts(self, text):
        return self.write_template("scripts.toml", text)

    def script_rows(self, *extra, env=None):
        out, err = self.fb_ok("visit", "script", *extra, "--format", "json", env=env)
        rows = json.loads(out)
        self.assertIsInstance(rows, list)
        return {r["name"]: r for r in rows}

    def estimate(self, name, env=None):
        return self.script_rows(env=env)[name]["estimated_seconds"]


class ShowScriptTest(ScriptsCase):

    def text_of(self, name):
        out, _ = self.fb_ok("visit", "script", name, "--format", "json")
        rows = json.loads(out)
        self.assertEqual(len(rows), 1)
        return rows[0]

    def test_first_visit_shows_title_estimate_and_text(self):
        record = self.text_of("first-visit")
        out, err = self.fb_ok("visit", "script", "first-visit", env={"COLUMNS": "40"})
        lines = out.split("\n")
        self.assertEqual(lines[-1], "", "output ends with a newline")
        head = "\n".join(lines[:3])
        self.assertIn("first-visit", head)
        self.assertIn(record["title"], head, "the title is shown above the text")
        self.assertTrue(record["title"].strip())
        m = re.search(r"(\d+)\s*s", head)
        self.assertIsNotNone(m, f"no estimate in seconds in {head!r}")
        self.assertIn(str(record["estimated_seconds"]), head)
        self.assertIn("60", head, "the limit is shown")
        self.assertTrue(0 < record["estimated_seconds"] <= record["limit_seconds"] == 60)

    def wrapped_text_lines(self, name, columns):
        out, _ = self.fb_ok("visit", "script", name, env={"COLUMNS": str(columns)})
        lines = out.split("\n")
        self.assertEqual(lines[-1], "")
        lines.pop()
        blank = lines.index("")
        return lines, lines[blank + 1:]

    def test_chinese_text_is_wrapped_to_columns_40(self):
        text = self.text_of("first-visit")["text"]
        _, body = self.wrapped_text_lines("first-visit", 40)
        self.assertGreater(len(body), 3, "a 180-character script takes several lines at 40")
        for line in body:
            self.assertLessEqual(display_width(line), 40, f"line wider than 40: {line!r}")
        for line in body[:-1]:
            self.assertGreaterEqual(display_width(line), 30,
                                    f"line {line!r} wraps far before the 40-column edge")
        # Nothing is lost or added: Chinese joins without spaces.
        self.assertEqual("".join(l.strip() for l in body), text.replace("\n", ""))

    def test_english_text_is_wrapped_at_spaces(self):
        english = [r["name"] for r in self.script_rows().values() if r["language"] == "en"]
        self.assertTrue(english, "the shipped scripts include English ones")
        name = english[0]
        text = self.text_of(name)["text"]
        _, body = self.wrapped_text_lines(name, 40)
        for line in body:
            self.assertLessEqual(display_width(line), 40, f"line wider than 40: {line!r}")
        self.assertEqual(" ".join(body).split(), text.split(), "words kept whole, in order")

    def test_wider_terminal_uses_the_width(self):
        _, body40 = self.wrapped_text_lines("first-visit", 40)
        _, body60 = self.wrapped_text_lines("first-visit", 60)
        self.assertLess(len(body60), len(body40))
        self.assertTrue(all(display_width(l) <= 60 for l in body60))
        self.assertGreater(max(display_width(l) for l in body60), 40)

    def test_every_output_line_fits_columns(self):
        """The whole printout (heading lines too) fits a 40-column terminal."""
        for name in self.script_rows():
            with self.subTest(script=name):
                out, _ = self.fb_ok("visit", "script", name, env={"COLUMNS": "40"})
                for line in out.split("\n"):
                    self.assertLessEqual(display_width(line), 40,
                                         f"visit script {name}: line wider than 40: {line!r}")

    def test_name_is_matched_case_insensitively(self):
        a, _ = self.fb_ok("visit", "script", "first-visit", env={"COLUMNS": "40"})
        b, _ = self.fb_ok("visit", "script", "FIRST-VISIT", env={"COLUMNS": "40"})
        self.assertEqual(a, b)

    def test_unknown_script_lists_the_known_names(self):
        result = self.fb("visit", "script", "no-such-script")
        self.assertUsageError(result, "no-such-script", *SHIPPED)


class ListScriptsTest(ScriptsCase):

    def test_json_lists_every_script_with_estimated_seconds(self):
        rows = self.script_rows()
        for name in SHIPPED:
            self.assertIn(name, rows)
        self.assertTrue(any(r["language"] == "en" for r in rows.values()),
                        "a couple of scripts are in English")
        self.assertTrue(any(r["language"] == "zh" for r in rows.values()))
        for name, r in rows.items():
            self.assertIsInstance(r["estimated_seconds"], int, name)
            self.assertGreater(r["estimated_seconds"], 0, name)
            self.assertIsInstance(r["limit_seconds"], int, name)
            self.assertLessEqual(r["estimated_seconds"], r["limit_seconds"], name)
        # every shipped situation is covered
        self.assertEqual({r["situation"] for r in rows.values()} & set(SHIPPED), set(SHIPPED))

    def test_csv_matches_json(self):
        rows = self.script_rows()
        csv_rows = self.csv_rows("visit", "script")
        self.assertEqual([r["name"] for r in csv_rows], list(rows))
        for r in csv_rows:
            self.assertEqual(int(r["estimated_seconds"]), rows[r["name"]]["estimated_seconds"])

    def test_check_passes_on_the_shipped_scripts(self):
        code, out, err = self.fb("visit", "script", "--check")
        self.assertEqual(code, 0, err)
        for name in self.script_rows():
            self.assertIn(name, out, "--check lists every script")
        self.assertNotIn("error", err)


class EstimateTest(ScriptsCase):
    """Speaking time on fixed texts in the user's own scripts.toml."""

    def write_fixed(self):
        self.write_scripts(f"""# fixed texts for timing
[[script]]
name = "han"
title = "二百二十字"
text = {toml_basic(HAN_220)}

[[script]]
name = "han-punct"
text = {toml_basic("，".join(HAN_220[i:i + 11] for i in range(0, 220, 11)) + "。")}

[[script]]
name = "en"
language = "en"
text = {toml_basic(EN_150)}

[[script]]
name = "han-slow"
rate = 110
limit_seconds = 150
text = {toml_basic(HAN_220)}

[[script]]
name = "en-slow"
language = "en"
rate = 100
limit_seconds = 120
text = {toml_basic(EN_150)}

[[script]]
name = "mixed"
text = {toml_basic(HAN_220[:110] + " " + " ".join(["toner"] * 75))}
""")

    def test_fixed_texts_at_default_rates(self):
        self.write_fixed()
        rows = self.script_rows()
        self.assertEqual(list(rows), ["han", "han-punct", "en", "han-slow", "en-slow", "mixed"],
                         "the user's scripts.toml replaces the shipped one")
        self.assertEqual(rows["han"]["estimated_seconds"], 60)   # 220 chars at 220/min
        self.assertEqual(rows["han"]["characters"], 220)
        self.assertEqual(rows["han-punct"]["estimated_seconds"], 60, "punctuation is not spoken")
        self.assertEqual(rows["han-punct"]["characters"], 220)
        self.assertEqual(rows["en"]["estimated_seconds"], 60)    # 150 words at 150/min
        self.assertEqual(rows["en"]["words"], 150)
        self.assertEqual(rows["mixed"]["estimated_seconds"], 60)  # 110/220 + 75/150 minutes
        self.assertEqual(rows["han"]["limit_seconds"], 60, "limit defaults to 60 s")
        self.assertEqual(rows["han"]["status"], "ok", "60 s fits a 60 s limit")

    def test_script_own_rate(self):
        self.write_fixed()
        rows = self.script_rows()
        self.assertEqual(rows["han-slow"]["estimated_seconds"], 120)  # 220 chars at 110/min
        self.assertEqual(rows["en-slow"]["estimated_seconds"], 90)    # 150 words at 100/min

    def test_config_rates_change_the_estimate(self):
        self.write_fixed()
        self.write_config("chars_per_minute = 110\nwords_per_minute = 300\n")
        rows = self.script_rows()
        self.assertEqual(rows["han"]["estimated_seconds"], 120)
        self.assertEqual(rows["en"]["estimated_seconds"], 30)
        self.assertEqual(rows["mixed"]["estimated_seconds"], 60 + 15)
        # a script's own rate wins over the config
        self.assertEqual(rows["han-slow"]["estimated_seconds"], 120)
        self.assertEqual(rows["en-slow"]["estimated_seconds"], 90)
        # and the single-script view shows the same estimate
        out, _ = self.fb_ok("visit", "script", "han")
        self.assertRegex(out.split("\n")[1], r"\b120\b")

    def test_check_fails_naming_the_long_script(self):
        self.write_scripts(f"""[[script]]
name = "short-enough"
text = {toml_basic(HAN_220[:100])}

[[script]]
name = "too-long"
title = "太长的开场白"
text = {toml_basic(HAN_220 + HAN_220[:110])}

[[script]]
name = "tight-limit"
limit_seconds = 20
text = {toml_basic(HAN_220[:88])}
""")
        rows = self.script_rows()
        self.assertEqual(rows["too-long"]["estimated_seconds"], 90)
        self.assertEqual(rows["tight-limit"]["estimated_seconds"], 24)
        code, out, err = self.fb("visit", "script", "--check")
        self.assertEqual(code, 2, f"--check must fail when a script is over its limit:\n{err}")
        self.assertIn("fieldbook: error:", err)
        self.assertIn("too-long", err)
        self.assertIn("tight-limit", err)
        self.assertNotIn("short-enough", err)
        for name in ("short-enough", "too-long", "tight-limit"):
            self.assertIn(name, out, "--check still lists every script with its estimate")

    def test_check_passes_when_all_fit(self):
        self.write_fixed()
        code, out, err = self.fb("visit", "script", "--check")
        # han-slow 120/150, en-slow 90/120, the others 60/60: all fit
        self.assertEqual(code, 0, err)


class InitTemplatesTest(ScriptsCase):

    def test_init_templates_copies_and_keeps_the_users_edit(self):
        shipped = self.script_rows()
        self.fb_ok("init", "--templates")
        path = self.scripts_path()
        self.assertTrue(os.path.isfile(path))
        self.assertTrue(os.path.isfile(os.path.join(self.config_home, "fieldbook",
                                                    "catalog.toml")))
        self.assertEqual(self.script_rows(), shipped, "the copy reads the same as built in")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.write_scripts(text.replace('name = "first-visit"', 'name = "door-opener"', 1))
        rows = self.script_rows()
        self.assertIn("door-opener", rows)
        self.assertNotIn("first-visit", rows)
        self.fb_ok("init", "--templates")      # existing copies are kept
        self.assertIn("door-opener", self.script_rows())


class VisitAddScriptTest(ScriptsCase):

    def setUp(self):
        super().setUp()
        self.init_store()

    def test_script_is_stored_with_the_visit(self):
        vid = self.add_visit("蓝海数据科技", "--script", "first-visit")
        self.assertEqual(self.show_visit(vid)["script"], "first-visit")
        out, _ = self.fb_ok("visit", "show", str(vid))
        self.assertRegex(out, r"(?m)^script\s+first-visit\s*$")

    def test_unknown_script_exits_2_listing_names_and_writes_nothing(self):
        code, out, err = self.assertUnchangedBy(
            lambda: self.fb("visit", "add", "蓝海数据科技", "--outcome", "contact",
                            "--script", "no-such-script"))
        self.assertEqual(out, "")
        self.assertIn("no-such-script", err)
        for name in SHIPPED:
            self.assertIn(name, err, "the known script names are listed")
        self.assertEqual(self.customers(), [], "not even the customer is created")


class ScriptTemplateErrorTest(ScriptsCase):
    """A broken scripts.toml: FILE:LINE:COLUMN: message, exit 2, nothing on stdout."""

    GOOD = '''# 我的开场白
[[script]]
name = "a"
title = "开场白"
text = "您好，我是蓉城办公的小王。"
'''

    def assertTemplateError(self, text, line, columns, *needles, args=("visit", "script")):
        path = self.write_scripts(text)
        code, out, err = self.fb(*args)
        self.assertEqual(code, 2, f"expected exit 2; stderr:\n{err}")
        self.assertEqual(out, "")
        m = re.search(re.escape(path) + r":(\d+):(\d+): (.+)", err)
        self.assertIsNotNone(m, f"no {path}:LINE:COLUMN: in {err!r}")
        self.assertEqual(int(m.group(1)), line, err)
        if isinstance(columns, int):
            columns = (columns,)
        self.assertIn(int(m.group(2)), columns, err)
        for n in needles:
            self.assertIn(n, m.group(3))
        return err

    def test_syntax_error(self):
        text = self.GOOD + '\n[[script]]\nname = "b"\ntitle = "开场白" oops\ntext = "你好"\n'
        line, col = position(text, "oops")
        self.assertEqual((line, col), (9, 15))
        self.assertTemplateError(text, line, col)

    def test_unterminated_string(self):
        text = self.GOOD + '\n[[script]]\nname = "b\ntext = "你好"\n'
        line, _ = position(text, 'name = "b')
        path = self.write_scripts(text)
        code, out, err = self.fb("visit", "script")
        self.assertEqual(code, 2, err)
        m = re.search(re.escape(path) + r":(\d+):(\d+): ", err)
        self.assertIsNotNone(m, err)
        self.assertEqual(int(m.group(1)), line, err)

    def test_missing_text(self):
        text = self.GOOD + '\n[[script]]\nname = "b"\ntitle = "没有正文"\nlanguage = "zh"\n'
        line, col = position(text, "[[script]]", 2)
        self.assertTemplateError(text, line, col, "text")

    def test_blank_text_is_missing_text(self):
        text = self.GOOD + '\n[[script]]\nname = "b"\ntext = "   "\n'
        line, col = position(text, "[[script]]", 2)
        vline, vcol = position(text, '"   "')
        path = self.write_scripts(text)
        code, out, err = self.fb("visit", "script")
        self.assertEqual(code, 2, err)
        m = re.search(re.escape(path) + r":(\d+):(\d+): .*text", err)
        self.assertIsNotNone(m, err)
        self.assertIn((int(m.group(1)), int(m.group(2))), [(line, col), (vline, vcol)], err)

    def test_unknown_language(self):
        text = self.GOOD + '\n[[script]]\nname = "b"\nlanguage = "fr"\ntext = "bonjour"\n'
        line, key_col = position(text, 'language = "fr"')
        _, value_col = position(text, '"fr"')
        self.assertTemplateError(text, line, (key_col, value_col), "fr")

    def test_unknown_key(self):
        text = self.GOOD + 'voice = "女声"\n'
        line, col = position(text, "voice")
        self.assertTemplateError(text, line, col, "voice")

    def test_unknown_top_level_key(self):
        text = "version = 2\n" + self.GOOD
        self.assertTemplateError(text, 1, 1, "version")

    def test_invalid_utf8(self):
        good = self.GOOD.encode("utf-8")
        bad = good + '\n[[script]]\nname = "b"\ntext = "你好'.encode("utf-8") + b"\xff" + \
            '世界"\n'.encode("utf-8")
        text_before = good.decode("utf-8") + '\n[[script]]\nname = "b"\ntext = "你好'
        line = text_before.count("\n") + 1
        col = len(text_before.rsplit("\n", 1)[1]) + 1
        self.assertEqual((line, col), (9, 11))
        self.assertTemplateError(bad, line, col, "UTF-8")

    def test_file_over_one_mib(self):
        padding = ("#" + "填" * 40 + "\n") * 9000        # 122 bytes a line
        text = self.GOOD + padding
        self.assertGreater(len(text.encode("utf-8")), 1 << 20)
        path = self.write_scripts(text)
        code, out, err = self.fb("visit", "script")
        self.assertEqual(code, 2, err)
        self.assertEqual(out, "")
        self.assertRegex(err, re.escape(path) + r":\d+:\d+: .*1 MiB")

    def test_exactly_one_mib_is_accepted(self):
        data = self.GOOD.encode("utf-8")
        data += b"#" + b"x" * ((1 << 20) - len(data) - 2) + b"\n"
        self.assertEqual(len(data), 1 << 20)
        self.write_scripts(data)
        self.assertIn("a", self.script_rows())

    def test_check_reports_template_errors_too(self):
        text = self.GOOD + '\n[[script]]\nname = "b"\nlanguage = "fr"\ntext = "bonjour"\n'
        line, key_col = position(text, 'language = "fr"')
        _, value_col = position(text, '"fr"')
        self.assertTemplateError(text, line, (key_col, value_col), "fr",
                                 args=("visit", "script", "--check"))


if __name__ == "__main__":
    unittest.main()
