"""Follow-ups on a fixed clock (FIELDBOOK_NOW) in Asia/Shanghai: `visit add --next` then
`followup due` before, on and after the day (across a month boundary), a moment when the UTC
day and the local day differ, `followup done` (exactly one visit, of the follow-up's channel,
closing it, `--next`), `followup add`, `drop`, `stale` (who is listed, the suggested channel,
--days, config stale_days, --create), and who may see and close whose follow-ups.
"""

import json
import unittest

from fbtest import FieldbookTestCase, TODAY


def at(day, time="10:00:00"):
    """FIELDBOOK_NOW for a local (Asia/Shanghai) day and time."""
    return {"FIELDBOOK_NOW": f"{day}T{time}+08:00"}


class FollowupCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟")           # a rep
        self.add_rep("lina", "李娜")                   # another rep
        self.add_rep("wangjl", "王建林", role="manager")

    def rows(self, *args, env=None):
        out, err = self.fb_ok(*args, "--format", "json", env=env)
        data = json.loads(out)
        self.assertIsInstance(data, list)
        return data

    def due(self, *args, env=None):
        return self.rows("followup", "due", *args, env=env)

    def followups(self, *args, env=None):
        return self.rows("followup", "list", *args, env=env)

    def visits(self, env=None):
        return self.rows("visit", "list", env=env)

    def only(self, rows, **match):
        found = [r for r in rows if all(r[k] == v for k, v in match.items())]
        self.assertEqual(len(found), 1, f"exactly one row with {match} in {rows}")
        return found[0]

    def open_followup(self, customer, *visit_args, env=None, rep=None, outcome="interest"):
        """Log a visit with --next ...; return the id of the follow-up it opened."""
        prefix = ["--as", rep] if rep else []
        self.fb_ok(*prefix, "visit", "add", customer, "--outcome", outcome, *visit_args,
                   env=env)
        mine = self.rows(*prefix, "followup", "list", "--customer", customer, env=env)
        self.assertEqual(len(mine), 1, f"one open follow-up for {customer}: {mine}")
        return mine[0]["id"]


class DueTest(FollowupCase):

    def test_due_on_the_day_not_before_and_overdue_after_across_a_month_boundary(self):
        fid = self.open_followup("蓝海数据科技", "--contact", "王芳", "--role", "inside",
                                 "--phone", "13800001234", "--next", "+5d",
                                 env=at("2026-11-28"))
        f = self.only(self.followups(env=at("2026-11-28")), id=fid)
        self.assertEqual(f["due"], "2026-12-03", "11-28 + 5 days crosses into December")
        self.assertEqual(self.due(env=at("2026-11-28")), [])
        self.assertEqual(self.due(env=at("2026-12-02", "23:59:00")), [], "not the day before")
        for day, late in (("2026-12-03", 0), ("2026-12-04", 1), ("2026-12-10", 7),
                          ("2027-01-02", 30)):
            rows = self.due(env=at(day))
            r = self.only(rows, id=fid)
            self.assertEqual(r["overdue_days"], late, day)
            self.assertEqual(r["due"], "2026-12-03")
        r = self.only(self.due(env=at("2026-12-03", "00:00:30")), id=fid)
        self.assertEqual(r["overdue_days"], 0, "just after local midnight it is due today")
        self.assertEqual(r["customer"], "蓝海数据科技")
        self.assertEqual(r["channel"], "phone")
        self.assertEqual(r["contact"], "王芳", "the inside contact is shown")
        self.assertEqual(r["last_outcome"], "interest", "the last visit's outcome is shown")
        self.assertEqual(r["rep"], "zhangwei")

    def test_due_on_a_given_day(self):
        fid = self.open_followup("蓝海数据科技", "--next", "2026-12-03")
        self.assertEqual(self.due("--on", "2026-12-02"), [])
        self.only(self.due("--on", "2026-12-03"), id=fid)
        self.assertEqual(self.only(self.due("--on", "2026-12-05"), id=fid)["overdue_days"], 2)

    def test_overdue_first_with_days_overdue(self):
        self.open_followup("甲公司", "--next", "2026-11-30", env=at("2026-11-20"))
        self.open_followup("乙公司", "--next", "2026-11-21", env=at("2026-11-20"))
        self.open_followup("丙公司", "--next", "2026-12-01", env=at("2026-11-20"))
        self.open_followup("丁公司", "--next", "2026-12-09", env=at("2026-11-20"))
        rows = self.due(env=at("2026-12-01"))
        self.assertEqual([r["customer"] for r in rows], ["乙公司", "甲公司", "丙公司"])
        self.assertEqual([r["overdue_days"] for r in rows], [10, 1, 0])
        out, _ = self.fb_ok("followup", "due", env=at("2026-12-01"))
        self.assertLess(out.index("乙公司"), out.index("甲公司"))
        self.assertNotIn("丁公司", out)

    def test_local_day_differs_from_the_utc_day(self):
        # 2026-11-30T17:30Z is 2026-12-01 01:30 in Shanghai.
        utc = {"FIELDBOOK_NOW": "2026-11-30T17:30:00Z"}
        self.open_followup("甲公司", "--next", "2026-12-01", env=at("2026-11-25"))
        self.open_followup("乙公司", "--next", "2026-11-30", env=at("2026-11-25"))
        rows = self.due(env=utc)
        self.assertEqual(self.only(rows, customer="甲公司")["overdue_days"], 0,
                         "due 2026-12-01 is due today in Shanghai")
        self.assertEqual(self.only(rows, customer="乙公司")["overdue_days"], 1)
        # two hours earlier it is still 2026-11-30 locally
        rows = self.due(env={"FIELDBOOK_NOW": "2026-11-30T15:30:00Z"})
        self.assertEqual([r["customer"] for r in rows], ["乙公司"])
        # "today" for a new follow-up is the local day too, and the 30th is in the past
        self.fb_ok("followup", "add", "甲公司", "--due", "today", "--channel", "email", env=utc)
        mine = self.followups("--customer", "甲公司", env=utc)
        self.assertEqual(sorted(f["due"] for f in mine), ["2026-12-01", "2026-12-01"])
        self.assertUsageError(self.fb("followup", "add", "乙公司", "--due", "2026-11-30",
                                      env=utc), "past")

    def test_the_teams_zone_decides_the_day_whatever_TZ_says(self):
        utc = {"FIELDBOOK_NOW": "2026-11-30T17:30:00Z", "TZ": "UTC"}
        self.open_followup("甲公司", "--next", "2026-12-01", env=at("2026-11-25"))
        rows = self.due(env=utc)
        self.assertEqual(self.only(rows, customer="甲公司")["overdue_days"], 0)

    def test_add_with_due_in_the_past_exits_2_and_writes_nothing(self):
        self.add_visit("蓝海数据科技")
        self.assertUnchangedBy(lambda: self.fb("followup", "add", "蓝海数据科技",
                                               "--due", "2026-11-25"))
        code, out, err = self.fb("followup", "add", "蓝海数据科技", "--due", "yesterday")
        self.assertUsageError((code, out, err), "past")
        self.assertUsageError(self.fb("followup", "add", "蓝海数据科技"), "--due")
        self.assertEqual(self.followups(), [])
        self.fb_ok("followup", "add", "蓝海数据科技", "--due", "today", "--note", "报价")
        f = self.only(self.due(), customer="蓝海数据科技")
        self.assertEqual((f["due"], f["channel"], f["note"]), (TODAY, "phone", "报价"))


class DoneTest(FollowupCase):

    def test_done_creates_exactly_one_visit_and_closes_the_follow_up(self):
        fid = self.open_followup("蓝海数据科技", "--next", "2026-11-26", env=at("2026-11-20"))
        before = self.visits()
        self.assertEqual(len(before), 1)
        self.fb_ok("followup", "done", str(fid), "--outcome", "interest",
                   "--result", "要A4纸报价")
        after = self.visits()
        self.assertEqual(len(after), len(before) + 1, "exactly one visit")
        new = [v for v in after if v["id"] not in {b["id"] for b in before}]
        self.assertEqual(len(new), 1)
        v = new[0]
        self.assertEqual(v["customer"], "蓝海数据科技")
        self.assertEqual(v["kind"], "phone")
        self.assertEqual(v["outcome"], "interest")
        self.assertEqual(v["note"], "要A4纸报价")
        self.assertEqual(v["day"], TODAY)
        self.assertEqual(v["rep"], "zhangwei")
        self.assertEqual(self.due(), [], "a done follow-up is no longer due")
        self.assertEqual(self.followups(), [], "nor open")
        done = self.only(self.followups("--state", "done"), id=fid)
        self.assertEqual(done["result"], "要A4纸报价")
        self.assertEqual(done["state"], "done")

    def test_visit_kind_follows_the_channel(self):
        self.add_visit("甲公司")
        self.add_visit("乙公司")
        self.add_visit("丙公司")
        for customer, channel in (("甲公司", "phone"), ("乙公司", "email"), ("丙公司", "visit")):
            self.fb_ok("followup", "add", customer, "--due", "today", "--channel", channel)
        expected = {"甲公司": "phone", "乙公司": "email", "丙公司": "revisit"}
        for f in self.due():
            before = len(self.visits())
            self.fb_ok("followup", "done", str(f["id"]), "--outcome", "contact")
            after = self.visits()
            self.assertEqual(len(after), before + 1)
            newest = max(after, key=lambda v: v["id"])
            self.assertEqual(newest["customer"], f["customer"])
            self.assertEqual(newest["kind"], expected[f["customer"]], f["channel"])
        self.assertEqual(self.due(), [])

    def test_done_with_next_schedules_the_next_one(self):
        fid = self.open_followup("蓝海数据科技", "--next", "today")
        self.fb_ok("followup", "done", str(fid), "--outcome", "intent", "--result", "下周报价",
                   "--next", "+7d")
        open_now = self.followups()
        self.assertEqual(len(open_now), 1)
        nxt = open_now[0]
        self.assertNotEqual(nxt["id"], fid)
        self.assertEqual(nxt["due"], "2026-12-03")
        self.assertEqual(nxt["channel"], "phone", "same channel by default")
        self.assertEqual(nxt["customer"], "蓝海数据科技")
        self.assertEqual(self.due(), [])
        self.only(self.due(env=at("2026-12-03")), id=nxt["id"])
        # and with another channel
        self.fb_ok("followup", "done", str(nxt["id"]), "--outcome", "intent", "--next", "+2d",
                   "--next-channel", "email", env=at("2026-12-03"))
        third = self.followups(env=at("2026-12-03"))
        self.assertEqual([(f["due"], f["channel"]) for f in third], [("2026-12-05", "email")])

    def test_done_twice_exits_2_and_writes_nothing(self):
        fid = self.open_followup("蓝海数据科技", "--next", "today")
        self.fb_ok("followup", "done", str(fid), "--outcome", "contact")
        n = len(self.visits())
        code, out, err = self.assertUnchangedBy(
            lambda: self.fb("followup", "done", str(fid), "--outcome", "contact"))
        self.assertIn("fieldbook: error:", err)
        self.assertIn(str(fid), err)
        self.assertEqual(len(self.visits()), n)

    def test_done_without_outcome_and_no_terminal_exits_2(self):
        fid = self.open_followup("蓝海数据科技", "--next", "today")
        code, out, err = self.assertUnchangedBy(lambda: self.fb("followup", "done", str(fid)))
        self.assertIn("--outcome", err)

    def test_done_unknown_id_fails(self):
        code, out, err = self.fb("followup", "done", "999", "--outcome", "contact")
        self.assertFailure((code, out, err), "999")


class DropTest(FollowupCase):

    def test_drop_cancels_it(self):
        fid = self.open_followup("蓝海数据科技", "--next", "today")
        n = len(self.visits())
        out, err = self.fb_ok("followup", "drop", str(fid), "--reason", "对方已换供应商")
        self.assertEqual(self.due(), [])
        self.assertEqual(self.followups(), [])
        dropped = self.only(self.followups("--state", "dropped"), id=fid)
        self.assertEqual(dropped["state"], "dropped")
        self.assertEqual(len(self.visits()), n, "dropping logs no visit")
        self.assertUnchangedBy(lambda: self.fb("followup", "drop", str(fid)))
        self.assertUnchangedBy(lambda: self.fb("followup", "done", str(fid),
                                               "--outcome", "contact"))
        self.only(self.followups("--state", "all"), id=fid)


class RolesTest(FollowupCase):

    def setUp(self):
        super().setUp()
        self.mine = self.open_followup("张伟的客户", "--next", "today")
        self.hers = self.open_followup("李娜的客户", "--next", "today", rep="lina")

    def test_each_rep_sees_their_own(self):
        self.assertEqual([f["id"] for f in self.due()], [self.mine])
        self.assertEqual([f["id"] for f in self.due(env={"FIELDBOOK_USER": "lina"})],
                         [self.hers])
        self.assertEqual([f["id"] for f in self.rows("--as", "lina", "followup", "due")],
                         [self.hers])

    def test_a_rep_cannot_see_everyones(self):
        self.assertUsageError(self.fb("followup", "due", "--all"), "--all")
        self.assertUsageError(self.fb("followup", "due", "--rep", "lina"))
        self.assertUsageError(self.fb("followup", "list", "--all"))

    def test_a_manager_sees_everyones(self):
        rows = self.rows("--as", "wangjl", "followup", "due", "--all")
        self.assertEqual({(r["id"], r["rep"]) for r in rows},
                         {(self.mine, "zhangwei"), (self.hers, "lina")})
        rows = self.rows("--as", "wangjl", "followup", "due", "--rep", "lina")
        self.assertEqual([r["id"] for r in rows], [self.hers])

    def test_a_rep_cannot_close_anothers_but_a_manager_can(self):
        code, out, err = self.assertUnchangedBy(
            lambda: self.fb("followup", "done", str(self.hers), "--outcome", "contact"))
        self.assertIn("lina", err)
        self.assertUnchangedBy(lambda: self.fb("followup", "drop", str(self.hers)))
        before = len(self.visits())
        self.fb_ok("--as", "wangjl", "followup", "done", str(self.hers), "--outcome", "interest",
                   "--result", "经理代为回访")
        self.assertEqual(len(self.visits()), before + 1)
        done = self.only(self.rows("--as", "wangjl", "followup", "list", "--all",
                                   "--state", "done"), id=self.hers)
        self.assertEqual(done["result"], "经理代为回访")
        self.assertEqual(self.rows("--as", "lina", "followup", "due"), [])

    def test_a_rep_cannot_assign_to_another(self):
        self.assertUsageError(self.fb("followup", "add", "张伟的客户", "--due", "today",
                                      "--rep", "lina"))
        self.fb_ok("--as", "wangjl", "followup", "add", "张伟的客户", "--due", "tomorrow",
                   "--rep", "lina")
        self.assertEqual(len(self.rows("--as", "lina", "followup", "list")), 2)


class StaleTest(FollowupCase):
    """Today is 2026-11-26; the default is 7 days without progress."""

    def setUp(self):
        super().setUp()
        v = lambda customer, day, *args, outcome="contact": self.fb_ok(
            "visit", "add", customer, "--outcome", outcome, "--at", f"{day} 10:00", *args)
        v("电话公司", "2026-11-18", "--contact", "王芳", "--role", "inside",
          "--phone", "13800001234")
        v("双全公司", "2026-11-18", "--contact", "周敏", "--role", "purchaser",
          "--phone", "13900005678", "--email", "zhou@example.com")
        v("邮件公司", "2026-11-18", "--contact", "Bob", "--role", "purchaser",
          "--email", "bob@example.com")
        v("无联系公司", "2026-11-18")
        v("七天公司", "2026-11-19")                      # exactly 7 days
        v("六天公司", "2026-11-20")                      # 6 days: not yet
        v("已约公司", "2026-11-18", "--next", "2026-11-30")   # has an open follow-up
        v("进展公司", "2026-11-10")
        v("进展公司", "2026-11-24", outcome="interest")  # improved recently
        v("谢绝公司", "2026-11-18")
        self.fb_ok("customer", "edit", "谢绝公司", "--no-solicitation")
        v("成交公司", "2026-11-18", outcome="order")     # a customer now, not a prospect

    def stale(self, *args, env=None):
        return self.rows("followup", "stale", *args, env=env)

    def test_lists_prospects_without_progress_for_7_days(self):
        rows = self.stale()
        self.assertEqual({r["customer"] for r in rows},
                         {"电话公司", "双全公司", "邮件公司", "无联系公司", "七天公司"})
        self.assertEqual(self.only(rows, customer="电话公司")["days"], 8)
        self.assertEqual(self.only(rows, customer="七天公司")["days"], 7)

    def test_suggests_the_cheapest_channel(self):
        rows = {r["customer"]: r for r in self.stale()}
        self.assertEqual(rows["电话公司"]["suggest"], "phone")
        self.assertEqual(rows["电话公司"]["reach"], "13800001234")
        self.assertEqual(rows["双全公司"]["suggest"], "phone", "phone beats email")
        self.assertEqual(rows["邮件公司"]["suggest"], "email")
        self.assertEqual(rows["邮件公司"]["reach"], "bob@example.com")
        self.assertIn(rows["无联系公司"]["suggest"], ("visit", "revisit"))

    def test_days_option_and_config(self):
        names = lambda rows: {r["customer"] for r in rows}
        self.assertIn("六天公司", names(self.stale("--days", "6")))
        self.assertNotIn("进展公司", names(self.stale("--days", "3")))   # improved 2 days ago
        self.assertIn("进展公司", names(self.stale("--days", "2")))
        self.assertEqual(names(self.stale("--days", "8")),
                         {"电话公司", "双全公司", "邮件公司", "无联系公司"})
        self.assertEqual(self.stale("--days", "30"), [])
        self.write_config("stale_days = 8\n")
        self.assertEqual(names(self.stale()), {"电话公司", "双全公司", "邮件公司", "无联系公司"})
        self.assertUsageError(self.fb("followup", "stale", "--days", "0"))

    def test_a_week_later_the_same_prospects_are_still_listed(self):
        rows = self.stale(env=at("2026-12-03"))
        self.assertIn("六天公司", {r["customer"] for r in rows})
        self.assertEqual(self.only(rows, customer="电话公司")["days"], 15)

    def test_create_makes_one_follow_up_each_in_one_go(self):
        stale = {r["customer"]: r for r in self.stale()}
        before = {f["id"] for f in self.followups()}
        out, err = self.fb_ok("followup", "stale", "--create", "--format", "json")
        created = json.loads(out)
        self.assertEqual(sorted(c["customer"] for c in created), sorted(stale))
        now_open = self.followups()
        new = [f for f in now_open if f["id"] not in before]
        self.assertEqual(len(new), len(stale), "one follow-up per stale prospect")
        for f in new:
            self.assertEqual(f["due"], TODAY)
            self.assertEqual(f["channel"], stale[f["customer"]]["suggest"], f["customer"])
            self.assertEqual(f["rep"], "zhangwei")
        self.assertEqual(self.stale(), [], "nothing is stale once planned")
        due_customers = {f["customer"] for f in self.due()}
        self.assertTrue(set(stale) <= due_customers)
        # running it again creates nothing
        out, err = self.fb_ok("followup", "stale", "--create", "--format", "json")
        self.assertEqual(json.loads(out), [])
        self.assertEqual(len(self.followups()), len(now_open))

    def test_scope_by_owner(self):
        self.fb_ok("--as", "lina", "visit", "add", "李娜的老客户", "--outcome", "contact",
                   "--at", "2026-11-10 10:00")
        self.assertNotIn("李娜的老客户", {r["customer"] for r in self.stale()})
        self.assertEqual([r["customer"] for r in self.rows("--as", "lina", "followup",
                                                           "stale")], ["李娜的老客户"])
        self.assertUsageError(self.fb("followup", "stale", "--all"))
        everyone = self.rows("--as", "wangjl", "followup", "stale", "--all")
        self.assertIn("李娜的老客户", {r["customer"] for r in everyone})
        self.assertIn("电话公司", {r["customer"] for r in everyone})


class VisitAnswersTest(FollowupCase):
    """`visit add` by a follow-up's rep to its customer closes an open progress follow-up."""

    def visit(self, customer, *args, rep=None, env=None):
        prefix = ["--as", rep] if rep else []
        return self.fb_ok(*prefix, "visit", "add", customer, *args, env=env)

    def closed_by(self, fid):
        (state, visit, result), = self.sql(
            "SELECT state, closed_visit_id, result FROM followup WHERE id = ?", (fid,))
        return state, visit, result

    def test_a_visit_or_call_closes_the_reps_progress_follow_up_due_any_day(self):
        fid = self.open_followup("蓝海数据科技", "--next", "2026-11-30", env=at("2026-11-20"))
        # a call on another day than the one due (before it), any kind
        out, err = self.visit("蓝海数据科技", "--kind", "phone", "--outcome", "intent",
                              env=at("2026-11-25"))
        self.assertIn(f"closed follow-up #{fid} (due 2026-11-30)", err)
        vid = max(v["id"] for v in self.visits(env=at("2026-11-25")))
        self.assertEqual(self.closed_by(fid), ("done", vid, "intent (phone)"))
        self.assertEqual(self.followups(env=at("2026-11-25")), [])
        # the next visit closes nothing more and says nothing about it
        out, err = self.visit("蓝海数据科技", "--outcome", "intent", env=at("2026-11-26"))
        self.assertNotIn("closed follow-up", err)
        # deleting the visit (logged by mistake) opens the follow-up again
        self.fb_ok("visit", "delete", str(vid), env=at("2026-11-26"))
        self.assertEqual(self.closed_by(fid), ("open", None, None))

    def test_the_follow_up_the_visit_schedules_stays_open(self):
        old = self.open_followup("蓝海数据科技", "--next", "2026-11-22", env=at("2026-11-20"))
        out, err = self.visit("蓝海数据科技", "--outcome", "interest", "--next", "2026-11-28",
                              env=at("2026-11-21"))
        self.assertIn(f"closed follow-up #{old} (due 2026-11-22)", err)
        rows = self.followups(env=at("2026-11-21"))
        self.assertEqual([r["due"] for r in rows], ["2026-11-28"], "the new one is open")

    def test_a_visit_logged_late_does_not_answer_a_later_plan(self):
        # the 11:00 visit planned a call; the 09:00 visit, logged afterwards, came before it
        fid = self.open_followup("蓝海数据科技", "--next", "2026-11-30", "--at", "11:00",
                                 env=at("2026-11-20", "12:00:00"))
        out, err = self.visit("蓝海数据科技", "--outcome", "contact", "--at", "09:00",
                              env=at("2026-11-20", "12:00:00"))
        self.assertNotIn("closed follow-up", err)
        self.assertEqual(self.closed_by(fid), ("open", None, None))

    def test_a_visit_logged_late_does_not_answer_a_follow_up_added_after_it(self):
        fid = self.open_followup("蓝海数据科技", "--next", "2026-11-30", env=at("2026-11-20"))
        self.fb_ok("followup", "add", "蓝海数据科技", "--due", "2026-12-01",
                   env=at("2026-11-24", "12:00:00"))
        (added,), = self.sql("SELECT id FROM followup WHERE due_day = '2026-12-01'")
        out, err = self.visit("蓝海数据科技", "--outcome", "contact", "--at", "2026-11-23 10:00",
                              env=at("2026-11-24", "12:00:00"))
        self.assertIn(f"closed follow-up #{fid} ", err)
        self.assertNotIn(f"closed follow-up #{added} ", err)
        self.assertEqual(self.closed_by(added), ("open", None, None))

    def test_nobody_met_answers_nothing(self):
        fid = self.open_followup("蓝海数据科技", "--next", "2026-11-30", env=at("2026-11-20"))
        out, err = self.visit("蓝海数据科技", "--outcome", "absent", env=at("2026-11-25"))
        self.assertNotIn("closed follow-up", err)
        self.assertEqual(self.closed_by(fid), ("open", None, None))

    def test_keep_followup_leaves_it_open(self):
        fid = self.open_followup("蓝海数据科技", "--next", "2026-11-30", env=at("2026-11-20"))
        out, err = self.visit("蓝海数据科技", "--outcome", "contact", "--keep-followup",
                              env=at("2026-11-25"))
        self.assertNotIn("closed follow-up", err)
        self.assertEqual(self.closed_by(fid), ("open", None, None))

    def test_collection_and_other_reps_follow_ups_stay_open(self):
        self.fb_ok("visit", "add", "蓝海数据科技", "--outcome", "order", env=at("2026-11-20"))
        self.fb_ok("order", "add", "蓝海数据科技", "--amount", "500", "--due", "2026-11-27",
                   env=at("2026-11-20"))
        (collection,), = self.sql("SELECT id FROM followup WHERE reason = 'collection'")
        # lina's own progress follow-up with the same customer
        self.fb_ok("--as", "lina", "followup", "add", "蓝海数据科技", "--due", "2026-11-29",
                   env=at("2026-11-20"))
        (linas,), = self.sql("SELECT f.id FROM followup f JOIN rep r ON r.id = f.rep_id "
                             "WHERE r.handle = 'lina'")
        out, err = self.visit("蓝海数据科技", "--outcome", "contact", env=at("2026-11-27"))
        self.assertNotIn("closed follow-up", err)
        self.assertEqual(self.closed_by(collection)[0], "open", "closed when paid, not by a visit")
        self.assertEqual(self.closed_by(linas)[0], "open", "lina's, not zhangwei's")
        # lina's visit closes hers
        out, err = self.visit("蓝海数据科技", "--outcome", "contact", rep="lina",
                              env=at("2026-11-27"))
        self.assertIn(f"closed follow-up #{linas} (due 2026-11-29)", err)
        self.assertEqual(self.closed_by(collection)[0], "open")


if __name__ == "__main__":
    unittest.main()
