"""Orders and after-sales on a fixed clock (FIELDBOOK_NOW) in Asia/Shanghai.

`order add` priced from a user catalog.toml at each quantity's bulk tier (exact to the fen,
half-up cent rounding), `order show --format json` with its lines, `--amount` instead of items,
every invalid input exiting 2 with nothing written, the customer's status becoming `customer`;
`order pay` (partial, exact rest, overpay refused, "1,280.50" and full-width digits), `order list
--open`; and the collection follow-up that an order with --due and a balance opens for the
order's rep, seen in `followup due` once the day has passed and closed by the last payment.

Money in JSON is read with Decimal (json parse_float), never as binary floats.
"""

import json
import unittest
from decimal import Decimal

from fbtest import FieldbookTestCase, TODAY


def at(day, time="10:00:00"):
    """FIELDBOOK_NOW for a local (Asia/Shanghai) day and time."""
    return {"FIELDBOOK_NOW": f"{day}T{time}+08:00"}


def D(text):
    return Decimal(text)


# A user catalog: list price 100.00; 10+ at 5% off (95.00), 50+ at 80.00. A second product
# checks cent rounding: 0.30 at 5% off is 0.285, which rounds half up to 0.29 (half-even or a
# binary float would give 0.28).
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
  { min = 50, price = "80.00" },
]

[[product]]
sku = "TST-CLIP"
name = "测试回形针"
category = "paper"
unit = "盒"
price = "0.30"
tiers = [
  { min = 10, discount = 5 },
]
"""


class OrderCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")
        self.write_template("catalog.toml", CATALOG)
        self.fb_ok("customer", "add", "蓝海数据科技")
        self.fb_ok("customer", "add", "锦城律师事务所")

    def jrows(self, *args, env=None):
        out, _ = self.fb_ok(*args, "--format", "json", env=env)
        data = json.loads(out, parse_float=Decimal)
        self.assertIsInstance(data, list, f"{args} --format json is not an array")
        return data

    def orders(self, *args, env=None):
        return self.jrows("order", "list", *args, env=env)

    def order_ids(self):
        return {o["id"] for o in self.orders()}

    def add_order(self, customer, *args, env=None):
        """order add (must succeed); returns the new order's id."""
        before = self.order_ids()
        self.fb_ok("order", "add", customer, *args, env=env)
        new = self.order_ids() - before
        self.assertEqual(len(new), 1, f"order add {customer} {args} added {new}")
        return new.pop()

    def show(self, order_id, env=None):
        rows = self.jrows("order", "show", str(order_id), env=env)
        self.assertEqual(len(rows), 1, rows)
        return rows[0]

    def customer(self, name):
        rows = self.jrows("customer", "show", name)
        self.assertEqual(len(rows), 1)
        return rows[0]

    def assertMoney(self, value, expected, what=""):
        self.assertIsInstance(value, Decimal, f"{what}: {value!r} is not a JSON number")
        self.assertEqual(value, D(expected), what)
        self.assertEqual(str(value), expected, f"{what}: exactly two decimals")


class AddTest(OrderCase):

    def test_items_priced_at_the_tier_of_each_quantity(self):
        # Tier minimum - 1, = and far above: 9 × 100.00, 10 × 95.00, 50 × 80.00.
        for quantity, amount, unit_cents in (("9", "900.00", 10000), ("10", "950.00", 9500),
                                             ("50", "4000.00", 8000)):
            oid = self.add_order("蓝海", "--items", f"TST-100:{quantity}")
            o = self.show(oid)
            self.assertMoney(o["amount"], amount, f"amount at {quantity}")
            self.assertMoney(o["outstanding"], amount, "outstanding")
            self.assertMoney(o["paid"], "0.00", "paid")
            self.assertEqual(o["customer"], "蓝海数据科技")
            self.assertEqual(o["rep"], "zhangwei")
            self.assertEqual(o["day"], TODAY)
            # The stored line, read with sqlite3 (integer cents).
            lines = self.sql("SELECT sku, quantity, unit_price_cents FROM order_line "
                             "WHERE order_id = ?", (oid,))
            self.assertEqual(lines, [("TST-100", int(quantity), unit_cents)])

    def test_one_product_named_twice_is_one_line_at_the_whole_quantity(self):
        oid = self.add_order("蓝海", "--items", "TST-100:40,tst-100:10")
        lines = self.sql("SELECT sku, quantity, unit_price_cents, line_cents FROM order_line "
                         "WHERE order_id = ?", (oid,))
        self.assertEqual(lines, [("TST-100", 50, 8000, 400000)])
        self.assertEqual(self.sql("SELECT amount_cents FROM orders WHERE id = ?", (oid,)),
                         [(400000,)])

    def test_discount_tier_rounds_half_up_to_the_fen(self):
        # 10 × 0.29 (0.285 half up) + 9 × 0.30, in two orders
        self.assertMoney(self.show(self.add_order("蓝海", "--items", "TST-CLIP:10"))["amount"],
                         "2.90", "amount at 10")
        self.assertMoney(self.show(self.add_order("蓝海", "--items", "TST-CLIP:9"))["amount"],
                         "2.70", "amount at 9")

    def test_show_json_lists_the_lines(self):
        oid = self.add_order("蓝海", "--items", "TST-100:10,TST-CLIP:9")
        o = self.show(oid)
        self.assertIn("lines", o, f"order show --format json has no lines: {o}")
        lines = o["lines"]
        self.assertEqual([(l["sku"], l["quantity"]) for l in lines],
                         [("TST-100", 10), ("TST-CLIP", 9)])
        self.assertEqual([l["unit_price"] for l in lines], [D("95.00"), D("0.30")])
        self.assertEqual([l["total"] for l in lines], [D("950.00"), D("2.70")])
        self.assertEqual(sum(l["total"] for l in lines), o["amount"])

    def test_amount_without_items(self):
        oid = self.add_order("蓝海", "--amount", "1280.50", "--cost", "900", "--on", "2026-11-20")
        o = self.show(oid)
        self.assertMoney(o["amount"], "1280.50", "amount")
        self.assertMoney(o["cost"], "900.00", "cost")
        self.assertEqual(o["day"], "2026-11-20")
        self.assertEqual(self.sql("SELECT COUNT(*) FROM order_line"), [(0,)])

    def test_prepaid_is_a_payment(self):
        oid = self.add_order("蓝海", "--amount", "1000", "--prepaid", "300.50")
        o = self.show(oid)
        self.assertMoney(o["paid"], "300.50", "paid")
        self.assertMoney(o["outstanding"], "699.50", "outstanding")

    def test_first_order_makes_the_customer_a_customer(self):
        self.assertEqual(self.customer("蓝海")["status"], "prospect")
        self.add_order("蓝海", "--amount", "100")
        self.assertEqual(self.customer("蓝海")["status"], "customer")
        self.assertEqual(self.customer("锦城")["status"], "prospect", "the other is untouched")
        self.add_order("蓝海", "--amount", "50")
        self.assertEqual(self.customer("蓝海")["status"], "customer")

    def test_items_and_amount_together_or_neither_exit_2(self):
        self.add_order("锦城", "--amount", "1")   # a store with something in it
        for args in (["--items", "TST-100:1", "--amount", "100"], []):
            with self.subTest(args=args):
                result = self.assertUnchangedBy(lambda: self.fb("order", "add", "蓝海", *args))
                self.assertUsageError(result, "--items", "--amount")
        self.assertEqual(self.customer("蓝海")["status"], "prospect")

    def test_unknown_sku_exits_2_naming_it(self):
        result = self.assertUnchangedBy(
            lambda: self.fb("order", "add", "蓝海", "--items", "TST-100:5,NOPE-42:3"))
        self.assertUsageError(result)
        self.assertIn("nope-42", result[2].lower(), "the message names the unknown SKU")
        self.assertEqual(self.customer("蓝海")["status"], "prospect")

    def test_malformed_items_exit_2(self):
        for items in ("A4", "A4:0", "A4:x", "TST-100:0", "TST-100:-3", "TST-100:1.5", ":5",
                      "TST-100:2,"):
            with self.subTest(items=items):
                result = self.assertUnchangedBy(
                    lambda: self.fb("order", "add", "蓝海", "--items", items))
                self.assertUsageError(result, "--items")

    def test_amounts_with_more_than_two_decimals_exit_2(self):
        for flag, value in (("--amount", "12.345"), ("--amount", "1280.001"),
                            ("--cost", "1.999"), ("--prepaid", "0.001")):
            with self.subTest(flag=flag, value=value):
                args = ["--amount", "100"] if flag != "--amount" else []
                result = self.assertUnchangedBy(
                    lambda: self.fb("order", "add", "蓝海", *args, flag, value))
                self.assertUsageError(result, flag, value)

    def test_prepaid_more_than_the_amount_exits_2_and_writes_nothing(self):
        result = self.assertUnchangedBy(
            lambda: self.fb("order", "add", "蓝海", "--amount", "100", "--prepaid", "100.01"))
        self.assertUsageError(result, "--prepaid")
        result = self.assertUnchangedBy(
            lambda: self.fb("order", "add", "蓝海", "--items", "TST-100:10", "--prepaid", "951",
                            "--due", "+10d"))
        self.assertUsageError(result, "--prepaid")
        self.assertEqual(self.orders(), [])
        self.assertEqual(self.customer("蓝海")["status"], "prospect")


class PayTest(OrderCase):

    def setUp(self):
        super().setUp()
        self.oid = self.add_order("蓝海", "--amount", "3000")

    def pay(self, amount, *args):
        return self.fb("order", "pay", str(self.oid), "--amount", amount, *args)

    def test_partial_payments_reduce_outstanding_and_the_rest_closes_it(self):
        self.assertEqual([o["id"] for o in self.orders("--open")], [self.oid])
        self.assertEqual(self.pay("1000")[0], 0)
        o = self.show(self.oid)
        self.assertMoney(o["paid"], "1000.00", "paid")
        self.assertMoney(o["outstanding"], "2000.00", "outstanding")
        self.assertEqual(self.pay("1500.25", "--note", "银行转账")[0], 0)
        self.assertMoney(self.show(self.oid)["outstanding"], "499.75", "outstanding")
        self.assertEqual([o["id"] for o in self.orders("--open")], [self.oid])
        code, _, err = self.pay("499.75")
        self.assertEqual(code, 0, err)
        o = self.show(self.oid)
        self.assertMoney(o["paid"], "3000.00", "paid")
        self.assertMoney(o["outstanding"], "0.00", "outstanding")
        self.assertEqual(self.orders("--open"), [], "a paid order is not open")
        self.assertEqual([o["id"] for o in self.orders()], [self.oid], "but is still listed")
        self.assertEqual(self.sql("SELECT SUM(amount_cents) FROM payment WHERE order_id = ?",
                                  (self.oid,)), [(300000,)])

    def test_paying_more_than_outstanding_is_refused(self):
        self.assertEqual(self.pay("2000")[0], 0)
        result = self.assertUnchangedBy(lambda: self.pay("1000.01"))
        self.assertUsageError(result, "--amount", "1000.00")
        self.assertMoney(self.show(self.oid)["outstanding"], "1000.00", "outstanding")
        self.assertEqual(self.pay("1000")[0], 0)
        result = self.assertUnchangedBy(lambda: self.pay("0.01"))
        self.assertUsageError(result, "--amount")

    def test_invalid_payment_amounts_exit_2(self):
        for value in ("0", "-5", "abc", "10.005"):
            with self.subTest(value=value):
                self.assertUsageError(self.assertUnchangedBy(lambda: self.pay(value)), "--amount")

    def test_grouped_and_full_width_amounts_are_accepted(self):
        self.assertEqual(self.pay("1,280.50")[0], 0)
        self.assertMoney(self.show(self.oid)["paid"], "1280.50", "1,280.50")
        code, _, err = self.pay("１２８０")
        self.assertEqual(code, 0, err)
        o = self.show(self.oid)
        self.assertMoney(o["paid"], "2560.50", "full-width 1280")
        self.assertMoney(o["outstanding"], "439.50", "outstanding")

    def test_grouped_and_full_width_order_amounts(self):
        a = self.add_order("锦城", "--amount", "1,280.50")
        b = self.add_order("锦城", "--amount", "１２８０")
        self.assertMoney(self.show(a)["amount"], "1280.50", "1,280.50")
        self.assertMoney(self.show(b)["amount"], "1280.00", "１２８０")

    def test_unknown_order(self):
        self.assertFailure(self.fb("order", "pay", "999", "--amount", "1"), "999")


class CollectionTest(OrderCase):
    """Order on 2026-11-26 by lina, due 2026-12-06, with a balance."""

    def setUp(self):
        super().setUp()
        # Only the collections here; the after-sales checks are tested in test_money.
        self.write_config("after_sales_days = 0\n")
        self.oid = self.add_order("蓝海", "--items", "TST-100:10", "--prepaid", "150",
                                  "--due", "2026-12-06", env={"FIELDBOOK_USER": "lina"})

    def due(self, day, rep="lina"):
        return self.jrows("--as", rep, "followup", "due", env=at(day))

    def test_collection_follow_up_for_the_orders_rep(self):
        o = self.show(self.oid)
        self.assertEqual(o["rep"], "lina")
        self.assertEqual(o["due"], "2026-12-06")
        self.assertMoney(o["outstanding"], "800.00", "950.00 - 150.00")
        self.assertEqual(self.due(TODAY), [], "not due yet")
        self.assertEqual(self.due("2026-12-05"), [], "not the day before")
        self.assertEqual(self.due("2026-12-09", rep="zhangwei"), [], "not zhangwei's")

        rows = self.due("2026-12-09")
        self.assertEqual(len(rows), 1, rows)
        f = rows[0]
        self.assertEqual(f["reason"], "collection")
        self.assertEqual(f["rep"], "lina")
        self.assertEqual(f["customer"], "蓝海数据科技")
        self.assertEqual(f["due"], "2026-12-06")
        self.assertEqual(f["overdue_days"], 3)
        later = self.orders(env=at("2026-12-09"))
        self.assertEqual(later[0]["overdue_days"], 3, "order list shows it overdue too")

        # A partial payment leaves it open; the last one closes it.
        self.assertEqual(self.fb("--as", "lina", "order", "pay", str(self.oid), "--amount",
                                 "300", env=at("2026-12-09"))[0], 0)
        self.assertEqual([r["id"] for r in self.due("2026-12-09")], [f["id"]])
        self.assertEqual(self.fb("--as", "lina", "order", "pay", str(self.oid), "--amount",
                                 "500", env=at("2026-12-10"))[0], 0)
        self.assertEqual(self.due("2026-12-10"), [], "closed by the last payment")
        self.assertEqual(self.due("2027-01-10"), [])
        closed = [r for r in self.jrows("--as", "lina", "followup", "list", "--state", "all",
                                        env=at("2026-12-10")) if r["id"] == f["id"]]
        self.assertEqual(len(closed), 1)
        self.assertEqual(closed[0]["state"], "done")

    def test_a_collection_call_cannot_forget_the_balance(self):
        f = self.due("2026-12-09")[0]
        self.assertUnchangedBy(lambda: self.fb(
            "--as", "lina", "followup", "done", str(f["id"]), "--outcome", "contact",
            "--result", "答应下周付", env=at("2026-12-09")))
        code, _, err = self.fb("--as", "lina", "followup", "done", str(f["id"]), "--outcome",
                               "contact", env=at("2026-12-09"))
        self.assertIn(f"collects order #{self.oid}, which still owes 800.00", err)
        self.assertIn("--next", err)
        # Paid in part, then the call with a next reminder: the new one carries the new
        # balance and is closed by the last payment like the first.
        self.fb_ok("--as", "lina", "order", "pay", str(self.oid), "--amount", "300",
                   env=at("2026-12-09"))
        self.fb_ok("--as", "lina", "followup", "done", str(f["id"]), "--outcome", "contact",
                   "--next", "2026-12-16", env=at("2026-12-09"))
        rows = self.due("2026-12-16")
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0]["reason"], "collection")
        self.assertIn(f"订单 #{self.oid} 余额 500.00", rows[0]["note"])
        # A further part payment brings the reminder's note up to date.
        self.fb_ok("--as", "lina", "order", "pay", str(self.oid), "--amount", "120",
                   env=at("2026-12-09"))
        self.assertIn(f"订单 #{self.oid} 余额 380.00", self.due("2026-12-16")[0]["note"])
        self.fb_ok("--as", "lina", "order", "pay", str(self.oid), "--amount", "380",
                   env=at("2026-12-10"))
        self.assertEqual(self.due("2026-12-16"), [])

    def test_giving_up_a_collection_takes_a_reason(self):
        f = self.due("2026-12-09")[0]
        self.assertUnchangedBy(lambda: self.fb("--as", "lina", "followup", "drop", str(f["id"]),
                                               env=at("2026-12-09")))
        code, _, err = self.fb("--as", "lina", "followup", "drop", str(f["id"]), "--reason",
                               "  ", env=at("2026-12-09"))
        self.assertEqual(code, 2, err)
        self.assertIn("still owes 800.00", err)
        self.assertIn("--reason", err)
        self.fb_ok("--as", "lina", "followup", "drop", str(f["id"]), "--reason", "坏账核销",
                   env=at("2026-12-09"))
        self.assertEqual(self.due("2026-12-09"), [])

    def test_no_collection_without_a_balance_or_a_due_day(self):
        before = self.sql("SELECT COUNT(*) FROM followup")[0][0]
        self.add_order("锦城", "--amount", "500", "--prepaid", "500", "--due", "2026-12-06")
        self.add_order("锦城", "--amount", "500")
        self.assertEqual(self.sql("SELECT COUNT(*) FROM followup")[0][0], before)
        self.assertEqual(self.jrows("followup", "due", env=at("2027-01-01")), [])


if __name__ == "__main__":
    unittest.main()
