"""The team record: learning tasks for reps (`rep task add/done/list`)
and the manager's notes on conduct (`rep note`, `rep notes`), with roles taken from the --as
rep: zhang and li are reps, wang the manager (the store's owner), chen the leader.

The clock is fixed (FIELDBOOK_NOW, Thursday 2026-11-26 in Asia/Shanghai), so `--due +3d` is
Sunday 2026-11-29. Listings are read back with Python's json and csv modules.
"""

import json
import unittest

from fbtest import FieldbookTestCase, parse_csv


class TeamCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("wang", "王建林", role="manager")
        self.add_rep("zhang", "张伟")
        self.add_rep("li", "李娜")
        self.add_rep("chen", "陈静", role="leader")

    def as_(self, who, *args):
        prefix = ["--as", who] if who else []
        return self.fb(*prefix, *args)

    def as_ok(self, who, *args):
        code, out, err = self.as_(who, *args)
        self.assertEqual(code, 0, f"{who}: fieldbook {' '.join(args)} failed:\n{err}")
        return out, err

    def rows(self, who, *args):
        out, err = self.as_ok(who, *args, "--format", "json")
        data = json.loads(out)
        self.assertIsInstance(data, list)
        return data

    def tasks(self, *args, who=None):
        return self.rows(who, "rep", "task", "list", *args)

    def notes(self, *args, who=None):
        return self.rows(who, "rep", "notes", *args)

    def add_task(self, who, rep, text, *args):
        before = {t["id"] for t in self.tasks()}
        self.as_ok(who, "rep", "task", "add", rep, text, *args)
        new = [t for t in self.tasks() if t["id"] not in before]
        self.assertEqual(len(new), 1, "task add adds exactly one task")
        return new[0]


class TaskTest(TeamCase):

    def test_manager_assigns_a_task_with_a_relative_due_day(self):
        t = self.add_task(None, "zhang", "熟悉产品目录", "--due", "+3d")
        self.assertEqual((t["rep"], t["task"], t["due"], t["done_at"], t["assigned_by"]),
                         ("zhang", "熟悉产品目录", "2026-11-29", None, "wang"))
        # the leader may assign too
        t2 = self.add_task("chen", "li", "学习公司规章制度", "--due", "2026-12-01")
        self.assertEqual((t2["rep"], t2["due"], t2["assigned_by"]), ("li", "2026-12-01", "chen"))
        out, err = self.as_ok(None, "rep", "task", "list")
        for text in ("熟悉产品目录", "学习公司规章制度", "2026-11-29", "zhang", "li"):
            self.assertIn(text, out)

    def test_list_open_and_by_rep(self):
        a = self.add_task(None, "zhang", "熟悉产品目录", "--due", "+3d")
        b = self.add_task(None, "zhang", "背熟开场白", "--due", "+1d")
        c = self.add_task(None, "li", "学习公司规章制度", "--due", "+5d")
        self.as_ok("zhang", "rep", "task", "done", str(a["id"]))
        everything = self.tasks()
        self.assertEqual({t["id"] for t in everything}, {a["id"], b["id"], c["id"]})
        self.assertEqual([t["done_at"] is None for t in everything], [True, True, False],
                         "open tasks first")
        self.assertEqual({t["id"] for t in self.tasks("--open")}, {b["id"], c["id"]})
        self.assertEqual({t["id"] for t in self.tasks("--rep", "zhang")}, {a["id"], b["id"]})
        self.assertEqual([t["id"] for t in self.tasks("--rep", "zhang", "--open")], [b["id"]])
        self.assertEqual([t["id"] for t in self.tasks("--rep", "li")], [c["id"]])
        # csv says the same
        out, err = self.as_ok(None, "rep", "task", "list", "--rep", "zhang", "--format", "csv")
        self.assertEqual({int(r["id"]) for r in parse_csv(out)}, {a["id"], b["id"]})
        # an unknown rep is an error, not an empty list
        code, out, err = self.as_(None, "rep", "task", "list", "--rep", "nobody")
        self.assertNotEqual(code, 0)
        self.assertEqual(out, "")
        self.assertIn("nobody", err)

    def test_the_rep_marks_their_task_done_once(self):
        t = self.add_task(None, "zhang", "熟悉产品目录", "--due", "+3d")
        out, err = self.as_ok("zhang", "rep", "task", "done", str(t["id"]))
        self.assertIn(str(t["id"]), err)
        done = [x for x in self.tasks() if x["id"] == t["id"]][0]
        self.assertIsNotNone(done["done_at"])
        self.assertEqual(self.tasks("--open"), [])
        # twice: refused, nothing written
        result = self.assertUnchangedBy(lambda: self.as_("zhang", "rep", "task", "done",
                                                         str(t["id"])))
        self.assertUsageError(result, "already done")

    def test_another_rep_cannot_mark_it_done_but_a_manager_can(self):
        t = self.add_task(None, "zhang", "熟悉产品目录")
        result = self.assertUnchangedBy(lambda: self.as_("li", "rep", "task", "done",
                                                         str(t["id"])))
        self.assertUsageError(result, "zhang")
        self.as_ok(None, "rep", "task", "done", str(t["id"]))
        self.assertEqual(self.tasks("--open"), [])

    def test_a_rep_cannot_assign_tasks(self):
        result = self.assertUnchangedBy(
            lambda: self.as_("zhang", "rep", "task", "add", "li", "替我扫楼", "--due", "+1d"))
        self.assertUsageError(result, "rep", "zhang")
        self.assertEqual(self.tasks(), [])

    def test_done_with_an_unknown_or_bad_id(self):
        self.assertFailure(self.assertUnchangedBy(
            lambda: self.as_("zhang", "rep", "task", "done", "99"), expect_code=1), "99")
        self.assertUsageError(self.assertUnchangedBy(
            lambda: self.as_("zhang", "rep", "task", "done", "abc")), "abc")


class RepNoteTest(TeamCase):

    def warn(self, rep, text):
        return self.as_ok(None, "rep", "note", rep, "--kind", "warn", text)

    def test_third_warning_reminds_of_escalation_to_leadership(self):
        for i, text in enumerate(("上班迟到", "拜访记录不全", "私自承诺折扣"), start=1):
            out, err = self.warn("zhang", text)
            with self.subTest(warning=i):
                if i < 3:
                    self.assertNotRegex(err, r"(?i)leader|remind",
                                        "no reminder before the third warning")
                else:
                    self.assertRegex(err, r"(?i)remind", "the third warning prints a reminder")
                    self.assertRegex(err, r"(?i)leader", "...that it goes to leadership")
                    self.assertIn("zhang", err)
                self.assertNotRegex(out, r"(?i)remind", "the reminder is a message, on stderr")
        notes = self.notes("zhang")
        self.assertEqual([(n["kind"], n["text"]) for n in notes],
                         [("warn", "上班迟到"), ("warn", "拜访记录不全"), ("warn", "私自承诺折扣")])
        self.assertEqual({n["author"] for n in notes}, {"wang"})

    def test_only_warnings_of_the_same_rep_count(self):
        self.as_ok(None, "rep", "note", "li", "--kind", "commend", "锦城律师事务所签单")
        self.as_ok(None, "rep", "note", "li", "--kind", "coach", "开场白要控制在一分钟内")
        self.warn("zhang", "上班迟到")
        self.warn("zhang", "拜访记录不全")
        out, err = self.warn("li", "私自承诺折扣")
        self.assertNotRegex(err, r"(?i)leader|remind",
                            "li's first warning: commendations, coaching and zhang's warnings "
                            "do not count")
        out, err = self.warn("li", "第二次")
        self.assertNotRegex(err, r"(?i)leader|remind")
        out, err = self.warn("li", "第三次")
        self.assertRegex(err, r"(?i)leader")

    def test_a_rep_cannot_write_notes(self):
        for kind in ("commend", "warn"):
            with self.subTest(kind=kind):
                result = self.assertUnchangedBy(
                    lambda: self.as_("zhang", "rep", "note", "li", "--kind", kind, "告状"))
                self.assertUsageError(result, "rep", "zhang")
        result = self.assertUnchangedBy(
            lambda: self.as_("zhang", "rep", "note", "zhang", "--kind", "commend", "自夸"))
        self.assertUsageError(result, "rep")
        self.assertEqual(self.notes(), [])

    def test_unknown_kind_lists_the_kinds(self):
        result = self.assertUnchangedBy(
            lambda: self.as_(None, "rep", "note", "zhang", "--kind", "scold", "批评"))
        self.assertUsageError(result, "scold", "commend", "coach", "warn")

    def test_managers_list_all_a_rep_only_their_own(self):
        self.as_ok(None, "rep", "note", "zhang", "--kind", "commend", "扫楼认真")
        self.as_ok(None, "rep", "note", "li", "--kind", "coach", "开场白要短")
        self.warn("li", "迟到")
        everything = self.notes()
        self.assertEqual([(n["rep"], n["kind"], n["text"]) for n in everything],
                         [("zhang", "commend", "扫楼认真"), ("li", "coach", "开场白要短"),
                          ("li", "warn", "迟到")])
        self.assertEqual(self.notes(who="chen"), everything, "the leader reads them all too")
        self.assertEqual([n["text"] for n in self.notes("li")], ["开场白要短", "迟到"])
        out, err = self.as_ok(None, "rep", "notes")
        for text in ("扫楼认真", "开场白要短", "迟到", "commend", "coach", "warn"):
            self.assertIn(text, out)
        # zhang sees his own, and nobody else's
        mine = self.notes("zhang", who="zhang")
        self.assertEqual([(n["rep"], n["text"]) for n in mine], [("zhang", "扫楼认真")])
        result = self.as_("zhang", "rep", "notes", "li")
        self.assertUsageError(result, "zhang")
        code, out, err = self.as_("zhang", "rep", "notes")
        if code == 0:
            self.assertNotIn("开场白要短", out)
            self.assertNotIn("迟到", out)
        else:
            self.assertUsageError((code, out, err))


if __name__ == "__main__":
    unittest.main()
