"""Who may change what: one rule for every write command.

The team: zhang founded the store (`init --me zhang`, a rep), li is a rep, wang the manager and
chen the leader. Every write command is tried on a record of li's as li (the owner), zhang
(another rep), wang (the manager) and chen (the leader). A refusal exits 2, writes nothing
(the whole store is compared with Python's sqlite3) and names the command, the record, its
owner and who tried.

The clock is fixed (FIELDBOOK_NOW, Thursday 2026-11-26 in Asia/Shanghai).
"""

import json
import sys
import unittest

from fbtest import FieldbookTestCase, TODAY

OWNER, OTHER, MANAGER, LEADER = "li", "zhang", "wang", "chen"
EVERYONE = (OWNER, OTHER, MANAGER, LEADER)


class PermissionCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhang", "张伟")
        self.add_rep("li", "李娜")
        self.add_rep("wang", "王建林", role="manager")
        # The team has a manager now: from here on the manager adds teammates.
        self.fb_ok("--as", "wang", "rep", "add", "chen", "--name", "陈静", "--role", "leader")

    def as_(self, who, *args):
        return self.fb("--as", who, *args)

    def as_ok(self, who, *args):
        code, out, err = self.as_(who, *args)
        self.assertEqual(code, 0, f"{who}: fieldbook {' '.join(args)} failed:\n{err}")
        return out, err

    def rows(self, who, *args):
        out, _ = self.as_ok(who, *args, "--format", "json")
        return json.loads(out)

    def new_id(self, listing, make):
        """Runs make() and returns the id of the one row it added to the listing."""
        before = {r["id"] for r in self.rows(MANAGER, *listing)}
        make()
        new = [r["id"] for r in self.rows(MANAGER, *listing) if r["id"] not in before]
        self.assertEqual(len(new), 1, f"{listing}: expected one new row")
        return new[0]

    # ---- li's records ----------------------------------------------------------------------

    def visit_of_li(self, customer="李娜的客户", *extra):
        return self.new_id(("visit", "list"), lambda: self.as_ok(
            OWNER, "visit", "add", customer, "--outcome", "interest", *extra))

    def followup_of_li(self):
        return self.new_id(("followup", "list", "--all", "--state", "all"), lambda: self.as_ok(
            OWNER, "followup", "add", "李娜的客户", "--due", "+2d", "--note", "回电"))

    def order_of_li(self):
        return self.new_id(("order", "list"), lambda: self.as_ok(
            OWNER, "order", "add", "李娜的客户", "--amount", "1000"))

    def task_of_li(self):
        return self.new_id(("rep", "task", "list"), lambda: self.as_ok(
            MANAGER, "rep", "task", "add", "li", "熟悉产品目录"))

    # ---- assertions ------------------------------------------------------------------------

    def assertRefused(self, who, args, *needles):
        before = self.db_snapshot()
        code, out, err = self.as_(who, *args)
        self.assertEqual(code, 2, f"{who}: fieldbook {' '.join(args)} should be refused:\n{err}")
        self.assertIn("fieldbook: error:", err)
        self.assertEqual(out, "")
        self.assertIn(who, err, "the refusal names who tried")
        for needle in needles:
            self.assertIn(needle, err)
        self.assertEqual(self.db_snapshot(), before, "a refused write writes nothing")
        return err

    def check_each(self, label, make_args, allowed, *needles, verify=None):
        """For each of li, zhang, wang and chen: a fresh record (make_args() gives the command
        for it), the command tried as that rep, and the outcome the rule says."""
        for who in EVERYONE:
            with self.subTest(command=label, acting=who):
                args = make_args()
                if who in allowed:
                    self.as_ok(who, *args)
                    if verify:
                        verify(who, args)
                else:
                    self.assertRefused(who, args, *needles)
                print(f"permission: {label} as {who} -> "
                      f"{'allowed' if who in allowed else 'refused, nothing written'}",
                      file=sys.stderr)


class OwnedRecordsTest(PermissionCase):
    """A record is changed by its owner, a manager or a leader; another rep is refused."""

    ALLOWED = (OWNER, MANAGER, LEADER)

    def setUp(self):
        super().setUp()
        self.visit_of_li()   # creates 李娜的客户, owned by li

    def test_visit_edit(self):
        def verify(who, args):
            self.assertEqual(self.rows(MANAGER, "visit", "show", args[2])[0]["note"], args[-1])
        self.check_each("visit edit",
                        lambda: ["visit", "edit", str(self.visit_of_li()), "--note", "改过"],
                        self.ALLOWED, "visit #", "(li's)", "visit edit", verify=verify)

    def test_visit_delete(self):
        def make():
            return ["visit", "delete", str(self.visit_of_li())]
        self.check_each("visit delete", make, self.ALLOWED, "visit #", "(li's)", "visit delete")

    def test_followup_done_and_drop(self):
        self.check_each("followup done",
                        lambda: ["followup", "done", str(self.followup_of_li()), "--outcome",
                                 "contact"],
                        self.ALLOWED, "follow-up #", "(li's)", "followup done")
        self.check_each("followup drop",
                        lambda: ["followup", "drop", str(self.followup_of_li())],
                        self.ALLOWED, "follow-up #", "(li's)", "followup drop")

    def test_followup_add_for_li(self):
        self.check_each("followup add --rep li",
                        lambda: ["followup", "add", "李娜的客户", "--due", "+3d", "--rep", "li"],
                        self.ALLOWED, "follow-up", "li", "followup add")

    def test_order_pay(self):
        self.check_each("order pay",
                        lambda: ["order", "pay", str(self.order_of_li()), "--amount", "100"],
                        self.ALLOWED, "order #", "(li's)", "order pay")

    def test_customer_edit(self):
        def verify(who, args):
            c = self.rows(MANAGER, "customer", "show", "李娜的客户")[0]
            self.assertEqual(c["notes"], args[-1])
        self.check_each("customer edit",
                        lambda: ["customer", "edit", "李娜的客户", "--notes", "备注"],
                        self.ALLOWED, "李娜的客户", "(li's)", "customer edit", verify=verify)

    def test_contact_add(self):
        self.check_each("contact add",
                        lambda: ["contact", "add", "李娜的客户", "王芳", "--phone", "13800001234"],
                        self.ALLOWED, "李娜的客户", "(li's)", "contact add")

    def test_customer_add_for_li(self):
        names = iter(f"新客户{i}" for i in range(10))
        self.check_each("customer add --owner li",
                        lambda: ["customer", "add", next(names), "--owner", "li"],
                        self.ALLOWED, "li", "customer add")

    def test_handing_a_customer_to_another_rep(self):
        # li gives her own customer away: the new owner's records change, so that is a
        # manager's or leader's doing (or the new owner's, taking it).
        self.assertRefused(OWNER, ["customer", "edit", "李娜的客户", "--owner", "zhang"],
                           "zhang", "customer edit")
        self.as_ok(MANAGER, "customer", "edit", "李娜的客户", "--owner", "zhang")
        self.assertEqual(self.rows(MANAGER, "customer", "show", "李娜的客户")[0]["owner"], "zhang")
        # and now it is zhang's: li may no longer change it
        self.assertRefused(OWNER, ["customer", "edit", "李娜的客户", "--notes", "x"], "(zhang's)")
        self.as_ok(OTHER, "customer", "edit", "李娜的客户", "--notes", "张伟的了")

    def test_a_customer_nobody_owns_is_anyones(self):
        self.as_ok(MANAGER, "customer", "add", "名录里的公司")
        self.as_ok(OTHER, "customer", "edit", "名录里的公司", "--notes", "张伟补充")
        self.as_ok(OWNER, "contact", "add", "名录里的公司", "前台")
        # claiming it for oneself is allowed; giving it to someone else is not
        self.assertRefused(OTHER, ["customer", "edit", "名录里的公司", "--owner", "li"], "li")
        self.as_ok(OTHER, "customer", "edit", "名录里的公司", "--owner", "zhang")
        self.assertRefused(OWNER, ["customer", "edit", "名录里的公司", "--notes", "y"],
                           "(zhang's)")

    def test_rep_task_done(self):
        self.check_each("rep task done", lambda: ["rep", "task", "done", str(self.task_of_li())],
                        self.ALLOWED, "task #", "(li's)", "rep task done")

    def test_rep_details(self):
        self.check_each("rep edit li --phone",
                        lambda: ["rep", "edit", "li", "--phone", "13900001111"],
                        self.ALLOWED, "li", "rep edit")

    def test_meeting_note_for_li(self):
        self.check_each("meeting note --rep li",
                        lambda: ["meeting", "note", "--kind", "idea", "午休前扫楼", "--rep", "li"],
                        self.ALLOWED, "(li's)", "meeting note")

    def test_logging_on_someone_elses_customer_is_ones_own_record(self):
        # A visit or an order on li's customer is zhang's own record; what it learns about
        # the customer updates it.
        self.as_ok(OTHER, "visit", "add", "李娜的客户", "--outcome", "contact", "--headcount", "30")
        self.as_ok(OTHER, "order", "add", "李娜的客户", "--amount", "500")
        c = self.rows(MANAGER, "customer", "show", "李娜的客户")[0]
        self.assertEqual((c["owner"], c["headcount"]), ("li", 30))


class TeamTest(PermissionCase):
    """Who is on the team and in which role: a manager or a leader decides."""

    LEADS = (MANAGER, LEADER)

    def roles(self):
        return {r["handle"]: (r["role"], r["active"]) for r in self.rows(MANAGER, "rep", "list",
                                                                         "--all")}

    def test_rep_add(self):
        names = iter(f"new{i}" for i in range(10))
        self.check_each("rep add", lambda: ["rep", "add", next(names), "--name", "新人"],
                        self.LEADS, "only a manager or a leader", "rep add")

    def test_rep_add_a_leader(self):
        names = iter(f"boss{i}" for i in range(10))
        self.check_each("rep add --role leader",
                        lambda: ["rep", "add", next(names), "--name", "新领导", "--role", "leader"],
                        self.LEADS, "only a manager or a leader", "rep add")

    def test_nobody_but_a_lead_changes_roles(self):
        # a rep promotes themself, demotes the manager, or deactivates a teammate: refused
        self.assertRefused(OWNER, ["rep", "edit", "li", "--role", "leader"], "role", "rep edit")
        self.assertRefused(OTHER, ["rep", "edit", "zhang", "--role", "manager"], "role")
        self.assertRefused(OTHER, ["rep", "edit", "wang", "--role", "rep"], "role of wang")
        self.assertRefused(OWNER, ["rep", "edit", "zhang", "--inactive"], "active")
        self.assertEqual(self.roles()["wang"], ("manager", "yes"))
        # the manager and the leader may
        self.as_ok(MANAGER, "rep", "edit", "li", "--role", "leader")
        self.as_ok(LEADER, "rep", "edit", "li", "--role", "rep")
        self.as_ok(LEADER, "rep", "edit", "zhang", "--inactive")
        self.as_ok(MANAGER, "rep", "edit", "zhang", "--active")
        self.assertEqual(self.roles()["li"], ("rep", "yes"))

    def test_the_founder_sets_up_the_team_until_it_has_a_manager(self):
        # zhang (a rep) registered li and wang before the team had a manager; not any more
        self.assertRefused(OTHER, ["rep", "add", "zhao", "--name", "赵敏"], "rep add")
        self.assertRefused(OTHER, ["rep", "edit", "zhang", "--role", "leader"], "rep edit")

    def test_in_a_team_without_a_manager_only_the_founder_sets_up(self):
        other = self.tmp + "/other.db"
        self.fb_ok("--db", other, "init", "--me", "a", "--name", "甲")
        self.fb_ok("--db", other, "rep", "add", "b", "--name", "乙")
        code, out, err = self.fb("--db", other, "--as", "b", "rep", "add", "c", "--name", "丙")
        self.assertEqual(code, 2, err)
        self.assertIn("its first rep, a, sets it up", err)
        code, out, err = self.fb("--db", other, "--as", "b", "rep", "edit", "b", "--role",
                                 "manager")
        self.assertEqual(code, 2, err)
        self.fb_ok("--db", other, "rep", "edit", "b", "--role", "manager")
        code, out, err = self.fb("--db", other, "rep", "add", "c", "--name", "丙")
        self.assertEqual(code, 2, "once the team has a manager, the founder no longer sets it up")
        self.fb_ok("--db", other, "--as", "b", "rep", "add", "c", "--name", "丙")

    def test_init_cannot_register_a_teammate_without_leave(self):
        # zhang is the store's owner (the default actor) and a rep
        self.assertRefused(OTHER, ["init", "--me", "sneak", "--name", "路人", "--role",
                                   "leader"], "rep add")
        self.assertNotIn("sneak", self.roles())
        self.as_ok(MANAGER, "init", "--me", "zhao", "--name", "赵敏")
        self.assertEqual(self.roles()["zhao"], ("rep", "yes"))

    def test_rep_task_add(self):
        self.check_each("rep task add", lambda: ["rep", "task", "add", "li", "背熟开场白"],
                        self.LEADS, "only a manager or a leader", "rep task add")

    def test_meeting_plan(self):
        self.check_each("meeting plan", lambda: ["meeting", "plan", "--rep", "li", "--visits",
                                                 "6"],
                        self.LEADS, "only a manager or a leader", "meeting plan")


class RoleActsTest(PermissionCase):
    """Acts of one role, as the end-of-day meeting has them."""

    def test_manager_acts(self):
        self.check_each("rep note", lambda: ["rep", "note", "li", "表现好", "--kind", "commend"],
                        (MANAGER,), "only a manager", "rep note")
        self.check_each("meeting note --kind manager",
                        lambda: ["meeting", "note", "--kind", "manager", "明天早到"],
                        (MANAGER,), "only a manager", "meeting note")
        self.check_each("meeting kind", lambda: ["meeting", "kind", "sharing"],
                        (MANAGER,), "only a manager", "meeting kind")

    def test_close_and_approve(self):
        for who in (OWNER, OTHER, LEADER):
            self.assertRefused(who, ["meeting", "close", "--date", TODAY], "only a manager",
                               "meeting close")
        # the day has no visits or notes here: closing it takes --empty
        self.as_ok(MANAGER, "meeting", "close", "--date", TODAY, "--empty")
        for who in (OWNER, OTHER, MANAGER):
            self.assertRefused(who, ["meeting", "approve", "--date", TODAY, "--comment", "好"],
                               "only a leader", "meeting approve")
        self.as_ok(LEADER, "meeting", "approve", "--date", TODAY, "--comment", "同意")


if __name__ == "__main__":
    unittest.main()
