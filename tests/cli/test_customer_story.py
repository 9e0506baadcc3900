"""A customer's whole story (`customer show`), merging a customer entered twice (`customer
merge`) and moving a visit to the customer it was at (`visit edit --customer`), on a fixed clock
(FIELDBOOK_NOW, 2026-11-26) in Asia/Shanghai.

The story: facts, contacts, every visit newest first (20 unless --all, saying how many were
left out), follow-ups, orders with their lines and payments, the balance and its age as the
receivables report ages it, the negotiation brief, who referred it and whom it referred; in JSON
one object with the lists nested; with --history the logged changes of it and its records.
Merging moves everything and is one undoable command; refused merges write nothing.

Money in JSON is read with Decimal, never as binary floats.
"""

import json
import unittest
from decimal import Decimal

from fbtest import FieldbookTestCase


def at(day, time="10:00:00"):
    """FIELDBOOK_NOW for a local (Asia/Shanghai) day and time."""
    return {"FIELDBOOK_NOW": f"{day}T{time}+08:00"}


# List price 100.00; 10 or more at 5% off (95.00).
CATALOG = """\
currency = "CNY"

[categories]
paper = "纸张"

[[product]]
sku = "TST-100"
name = "测试复印纸"
category = "paper"
unit = "箱"
price = "100.00"
tiers = [
  { min = 10, discount = 5 },
]
"""


class StoryCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")
        self.add_rep("liu", "刘建国", role="manager")
        self.write_template("catalog.toml", CATALOG)
        self.write_config("after_sales_days = 0\n")  # no after-sales checks among the follow-ups

    def story(self, *args, env=None):
        out, _ = self.fb_ok("customer", "show", *args, "--format", "json", env=env)
        data = json.loads(out, parse_float=Decimal)
        self.assertIsInstance(data, list)
        self.assertEqual(len(data), 1, data)
        return data[0]

    def customer_id(self, name):
        return self.story(name)["id"]

    def order_ids(self):
        return {o["id"] for o in self.json_rows("order", "list")}

    def add_order(self, customer, *args, env=None):
        before = self.order_ids()
        self.fb_ok("order", "add", customer, *args, env=env)
        new = self.order_ids() - before
        self.assertEqual(len(new), 1)
        return new.pop()


class ShowTest(StoryCase):

    def setUp(self):
        super().setUp()
        self.fb_ok("customer", "add", "新华书店")
        self.fb_ok("customer", "add", "蓝海数据科技", "--industry", "互联网", "--referred-by",
                   "新华书店")
        self.fb_ok("customer", "add", "锦城律师事务所", "--referred-by", "蓝海数据科技")
        self.fb_ok("contact", "add", "蓝海数据科技", "王芳", "--role", "purchaser", "--card")
        self.fb_ok("contact", "add", "蓝海数据科技", "陈静", "--role", "gatekeeper")
        # 22 visits, one a day from 2026-10-01 to 2026-10-22, the first with a follow-up
        for day in range(1, 23):
            # the later visits leave the first one's follow-up open (--keep-followup)
            extra = ["--next", "+7d"] if day == 1 else ["--keep-followup"]
            self.add_visit("蓝海数据科技", "--no-input", *extra, outcome="interest",
                           env=at(f"2026-10-{day:02d}", "09:30:00"))
        # a second follow-up, then done today (its visit is the 23rd, the newest)
        self.fb_ok("followup", "add", "蓝海数据科技", "--due", "2026-11-20", "--note", "问报价",
                   env=at("2026-11-01"))
        due = [f for f in self.json_rows("followup", "list", "--customer", "蓝海数据科技")
               if f["due"] == "2026-11-20"]
        self.fb_ok("followup", "done", str(due[0]["id"]), "--outcome", "intent", "--result",
                   "要了报价")
        # 10 × 95.00 = 950.00 due 2026-11-16; 300.00 without a due day, ordered 2026-11-20
        self.first = self.add_order("蓝海数据科技", "--items", "TST-100:10", "--due",
                                    "2026-11-16", env=at("2026-11-01"))
        self.second = self.add_order("蓝海数据科技", "--amount", "300", env=at("2026-11-20"))
        self.fb_ok("order", "pay", str(self.first), "--amount", "400", "--note", "银行转账")
        # a cancelled order owes nothing
        self.cancelled = self.add_order("蓝海数据科技", "--amount", "200", env=at("2026-11-21"))
        self.fb_ok("order", "cancel", str(self.cancelled), "--reason", "重复下单",
                   env=at("2026-11-22"))
        self.fb_ok("customer", "prep", "蓝海数据科技", "--concerns", "价格偏高", "--team", "   ")
        self.fb_ok("--as", "liu", "customer", "prep", "蓝海数据科技", "--guidance", "先谈账期")

    def test_json_is_one_object_with_the_whole_story(self):
        s = self.story("蓝海数据科技")
        self.assertEqual((s["name"], s["industry"], s["status"], s["visit_count"]),
                         ("蓝海数据科技", "互联网", "customer", 23))
        self.assertEqual([(c["name"], c["role"], c["card"]) for c in s["contacts"]],
                         [("王芳", "purchaser", "yes"), ("陈静", "gatekeeper", "no")])
        # the latest 20, newest first: today's (the follow-up done), then 10-22 down to 10-04
        self.assertEqual(len(s["visits"]), 20)
        self.assertEqual(s["visits_left_out"], 3)
        self.assertEqual(s["visits"][0]["day"], "2026-11-26")
        self.assertEqual(s["visits"][0]["outcome"], "intent")
        self.assertEqual([v["day"] for v in s["visits"][1:]],
                         [f"2026-10-{d:02d}" for d in range(22, 3, -1)])
        # open first (the first visit's, the first order's collection), then done
        self.assertEqual([(f["due"], f["state"], f["reason"]) for f in s["followups"]],
                         [("2026-10-08", "open", "progress"), ("2026-11-16", "open", "collection"),
                          ("2026-11-20", "done", "progress")])
        self.assertEqual(s["followups"][2]["result"], "要了报价")
        # orders newest first, the cancelled one shown as cancelled and owing nothing
        orders = s["orders"]
        self.assertEqual([o["id"] for o in orders], [self.cancelled, self.second, self.first])
        self.assertEqual((orders[0]["cancelled"], orders[0]["cancel_reason"],
                          orders[0]["outstanding"]), ("2026-11-22", "重复下单", Decimal("0.00")))
        first = orders[2]
        self.assertEqual((first["amount"], first["paid"], first["outstanding"], first["due"]),
                         (Decimal("950.00"), Decimal("400.00"), Decimal("550.00"), "2026-11-16"))
        self.assertEqual(first["lines"], [{"sku": "TST-100", "name": "测试复印纸", "quantity": 10,
                                           "list_price": Decimal("100.00"),
                                           "unit_price": Decimal("95.00"),
                                           "total": Decimal("950.00")}])
        self.assertEqual([(p["day"], p["amount"], p["note"]) for p in first["payments"]],
                         [("2026-11-26", Decimal("400.00"), "银行转账")])
        self.assertEqual(orders[1]["lines"], [])
        self.assertEqual(orders[1]["payments"], [])
        # 550.00 + 300.00; the oldest debt is aged from the first order's due day, 2026-11-16,
        # ten days before today (the second, without a due day, from its order day: six)
        self.assertEqual(s["balance"], {"outstanding": Decimal("850.00"), "unpaid_orders": 2,
                                        "age_days": 10, "aged_from": "2026-11-16"})
        # the brief's filled-in fields only
        self.assertEqual(s["brief"], {"concerns": "价格偏高", "guidance": "先谈账期"})
        self.assertEqual(s["referred_by"]["name"], "新华书店")
        self.assertEqual([r["name"] for r in s["referrals"]], ["锦城律师事务所"])
        self.assertNotIn("history", s)

    def test_all_visits(self):
        s = self.story("蓝海数据科技", "--all")
        self.assertEqual(len(s["visits"]), 23)
        self.assertEqual(s["visits_left_out"], 0)
        self.assertEqual(s["visits"][-1]["day"], "2026-10-01")

    def test_text(self):
        out, _ = self.fb_ok("customer", "show", "蓝海数据科技")
        for part in ("\ncontacts\n", "\nvisits (the latest 20 of 23)\n",
                     "3 older visits left out; --all shows every one\n", "\nfollow-ups\n",
                     "\norders\n", f"\nlines of order #{self.first}\n", "\npayments\n",
                     "\nbalance\n850.00 outstanding on 2 orders, 10 days since 2026-11-16\n",
                     "\nnegotiation brief\n", "Customer's concerns", "价格偏高", "Guidance",
                     "referred_by", "新华书店", "锦城律师事务所", "重复下单"):
            self.assertIn(part, out)
        self.assertNotIn("What we can concede", out)  # empty in the brief
        self.assertNotIn("Negotiation team", out)  # blank
        self.assertNotIn("left out", self.fb_ok("customer", "show", "蓝海数据科技", "--all")[0])

    def test_history_covers_the_customer_and_its_records(self):
        s = self.story("蓝海数据科技", "--history")
        kinds = {r["record"].split(" #")[0] for r in s["history"]}
        self.assertTrue({"customer", "contact", "visit", "followup", "orders", "order_line",
                         "payment"} <= kinds, kinds)
        # newest first: the payment's command came after the orders' and before the last order
        commands = [r["command"] for r in s["history"]]
        self.assertEqual(commands, sorted(commands, reverse=True))
        # nothing of another customer: 锦城律师事务所's own insert is not in 蓝海's story
        self.assertNotIn("锦城律师事务所", {r["new"] for r in s["history"] if r["field"] == "name"})
        table, _ = self.fb_ok("customer", "show", "蓝海数据科技", "--history")
        self.assertIn("\nhistory\n", table)
        rows = self.csv_rows("customer", "show", "蓝海数据科技", "--history")
        self.assertEqual(len(rows), len(s["history"]))


class MergeTest(StoryCase):

    def setUp(self):
        super().setUp()
        # FROM, entered by mistake under a short name: two visits, 王芳 with a phone, 刘洋
        self.add_visit("锦程商贸", "--contact", "王芳", "--phone", "13800001234", "--industry",
                       "贸易", "--headcount", "60", "--at", "2026-11-20 09:00", "--no-input")
        self.add_visit("锦程商贸", "--contact", "刘洋", "--role", "purchaser", "--card",
                       "--at", "2026-11-21 09:00", "--no-input", outcome="intent")
        self.from_order = self.add_order("锦程商贸", "--amount", "500")
        # INTO: one visit with 王芳 (no phone), an order
        self.add_visit("锦程贸易有限公司", "--contact", "王芳", "--at", "2026-11-19 09:00",
                       "--no-input")
        self.into_order = self.add_order("锦程贸易有限公司", "--amount", "300")
        self.from_id = self.customer_id("锦程商贸")
        self.into_id = self.customer_id("锦程贸易有限公司")

    def test_both_briefs_and_notes_are_kept_whole(self):
        for name, concerns, guidance in (("锦程商贸", "价格偏高", "先谈账期"),
                                         ("锦程贸易有限公司", "送货慢", "先谈账期")):
            self.fb_ok("customer", "prep", name, "--concerns", concerns)
            self.fb_ok("--as", "liu", "customer", "prep", name, "--guidance", guidance)
        self.fb_ok("customer", "edit", "锦程商贸", "--notes", "前台很友好")
        self.fb_ok("customer", "edit", "锦程贸易有限公司", "--notes", "月底结账")
        self.fb_ok("customer", "merge", "锦程商贸", "锦程贸易有限公司")
        s = self.story("锦程贸易有限公司")
        self.assertEqual(s["brief"]["concerns"], "送货慢\n价格偏高")
        self.assertEqual(s["brief"]["guidance"], "先谈账期", "the same text once")
        self.assertEqual(s["notes"], "月底结账；前台很友好")

    def test_two_reception_desks_stay_two_contacts(self):
        # unnamed contacts (a desk's number) are one only by their number
        self.add_visit("锦程商贸", "--phone", "028-1111", "--role", "gatekeeper", "--no-input")
        self.add_visit("锦程贸易有限公司", "--phone", "028-2222", "--role", "gatekeeper",
                       "--no-input")
        self.fb_ok("customer", "merge", "锦程商贸", "锦程贸易有限公司")
        phones = sorted(c["phone"] for c in self.story("锦程贸易有限公司")["contacts"]
                        if c["name"] == "")
        self.assertEqual(phones, ["028-1111", "028-2222"])

    def test_merge_moves_everything_and_undo_brings_it_back(self):
        before_from = self.story("锦程商贸")
        before_into = self.story("锦程贸易有限公司")
        _, err = self.fb_ok("customer", "merge", "锦程商贸", "锦程贸易有限公司")
        self.assertIn(f"merged customer #{self.from_id} 锦程商贸 into #{self.into_id} "
                      "锦程贸易有限公司", err)
        # by the old name and by the old id: the customer kept, with everything
        for reference in ("锦程商贸", str(self.from_id)):
            s = self.story(reference)
            self.assertEqual((s["id"], s["name"]), (self.into_id, "锦程贸易有限公司"))
            self.assertEqual([v["day"] for v in s["visits"]],
                             ["2026-11-21", "2026-11-20", "2026-11-19"])
            self.assertEqual(s["visits"][0]["contact"], "刘洋")
            # the two 王芳 are one, with the phone FROM knew
            self.assertEqual([(c["name"], c["phone"], c["card"]) for c in s["contacts"]],
                             [("刘洋", None, "yes"), ("王芳", "13800001234", "no")])
            self.assertEqual({o["id"] for o in s["orders"]}, {self.from_order, self.into_order})
            self.assertEqual(s["balance"]["outstanding"], Decimal("800.00"))
            # INTO's empty facts filled from FROM's
            self.assertEqual((s["industry"], s["headcount"]), ("贸易", 60))
            self.assertEqual(s["merged_from"], [{"id": self.from_id, "name": "锦程商贸"}])
        self.assertNotIn("锦程商贸", [c["name"] for c in self.customers()])
        self.assertEqual(len(self.json_rows("visit", "list", "--customer", "锦程商贸")), 3)
        self.assertEqual(self.sql("SELECT merged_into FROM customer WHERE id = ?",
                                  (self.from_id,)), [(self.into_id,)])
        # merging it again is refused: it was merged already
        self.assertUsageError(self.fb("customer", "merge", "锦程商贸", "锦程贸易有限公司"),
                              "was merged into")

        self.fb_ok("undo")
        self.assertEqual(self.story("锦程商贸"), before_from)
        self.assertEqual(self.story("锦程贸易有限公司"), before_into)
        self.assertIn("锦程商贸", [c["name"] for c in self.customers()])

    def test_a_merged_name_as_into_means_the_customer_it_went_into(self):
        self.fb_ok("customer", "add", "锦程分公司", "--new")
        self.fb_ok("customer", "merge", "锦程商贸", "锦程贸易有限公司")
        self.fb_ok("customer", "merge", "锦程分公司", "锦程商贸")
        self.assertEqual(self.story("锦程分公司")["id"], self.into_id)
        # a chain: merged into one that is merged in turn
        self.fb_ok("customer", "add", "锦程集团", "--new")
        self.fb_ok("customer", "merge", "锦程贸易有限公司", "锦程集团")
        self.assertEqual(self.story("锦程商贸")["name"], "锦程集团")
        self.assertEqual(len(self.story("锦程集团")["visits"]), 3)

    def test_refused_merges_change_nothing(self):
        self.assertUnchangedBy(lambda: self.fb("customer", "merge", "锦程商贸", "锦程商贸"))
        _, _, err = self.assertUnchangedBy(
            lambda: self.fb("customer", "merge", "锦程商贸", str(self.from_id)))
        self.assertIn("a customer is not merged into itself", err)
        # both are zhangwei's (his visits made them his): lina may not merge them
        _, _, err = self.assertUnchangedBy(
            lambda: self.fb("--as", "lina", "customer", "merge", "锦程商贸", "锦程贸易有限公司"))
        self.assertIn("customer merge", err)
        self.assertIn("zhangwei", err)
        self.assertUnchangedBy(lambda: self.fb("customer", "merge", "无此公司", "锦程商贸"),
                               expect_code=1)

    def test_a_manager_merges_anyones(self):
        self.fb_ok("--as", "liu", "customer", "merge", "锦程商贸", "锦程贸易有限公司")
        self.assertEqual(len(self.story("锦程商贸")["visits"]), 3)

    def test_a_rep_merges_her_own_even_with_a_teammates_visits(self):
        self.add_visit("星河教育", "--no-input", env={"FIELDBOOK_USER": "lina"})
        self.add_visit("星河教育中心", "--new", "--no-input", env={"FIELDBOOK_USER": "lina"})
        self.add_visit("星河教育中心", "--no-input")  # zhangwei's visit to lina's customer
        self.fb_ok("--as", "lina", "customer", "merge", "星河教育中心", "星河教育")
        s = self.story("星河教育中心")
        self.assertEqual((s["name"], s["owner"], len(s["visits"])), ("星河教育", "lina", 3))
        # and zhangwei, who owns neither, may not merge them
        self.fb_ok("--as", "lina", "undo")
        self.assertUnchangedBy(
            lambda: self.fb("customer", "merge", "星河教育中心", "星河教育"))


class VisitMoveTest(StoryCase):

    def test_visit_edit_customer_moves_it_with_its_followup_and_undo_moves_it_back(self):
        self.add_visit("蓝海数据科技", "--no-input")
        visit = self.add_visit("蓝海数据", "--new", "--contact", "王芳", "--role", "purchaser",
                               "--next", "+3d", "--no-input", outcome="interest")
        self.fb_ok("visit", "edit", str(visit), "--customer", "蓝海数据科技")
        moved = self.show_visit(visit)
        self.assertEqual((moved["customer"], moved["contact"]), ("蓝海数据科技", "王芳"))
        self.assertIn(visit, [v["id"] for v in self.json_rows("visit", "list", "--customer",
                                                               "蓝海数据科技")])
        self.assertEqual(self.json_rows("visit", "list", "--customer", "蓝海数据"), [])
        followups = self.json_rows("followup", "list", "--customer", "蓝海数据科技")
        self.assertEqual(len(followups), 1)
        # statuses follow the visits each has now
        self.assertEqual(self.story("蓝海数据科技")["status"], "interested")
        self.assertEqual(self.story("蓝海数据")["status"], "prospect")
        self.assertEqual([c["name"] for c in self.story("蓝海数据科技")["contacts"]], ["王芳"])

        self.fb_ok("undo")
        self.assertEqual(self.show_visit(visit)["customer"], "蓝海数据")
        self.assertEqual([v["id"] for v in self.json_rows("visit", "list", "--customer",
                                                          "蓝海数据")], [visit])
        self.assertEqual(self.json_rows("followup", "list", "--customer", "蓝海数据科技"), [])
        self.assertEqual(self.story("蓝海数据")["status"], "interested")
        self.assertEqual(self.story("蓝海数据科技")["contacts"], [])

    def test_another_reps_visit_is_not_moved(self):
        self.add_visit("蓝海数据科技", "--no-input")
        visit = self.add_visit("星河教育", "--no-input", env={"FIELDBOOK_USER": "lina"})
        self.assertUnchangedBy(
            lambda: self.fb("visit", "edit", str(visit), "--customer", "蓝海数据科技"))


if __name__ == "__main__":
    unittest.main()
