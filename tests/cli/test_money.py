"""Money after the order, on a fixed clock (today 2026-11-26, Asia/Shanghai).

Payments name who took them (`order show` lists them with paid/outstanding in every format;
an old payment without its rep is credited to the rep whose command recorded it); `order
cancel` is refused while money is paid unless --refund, drops the order's open follow-ups, takes
the order out of balances, receivables and rankings, refuses later payments, and is taken back
by `undo`, as is a payment entered wrongly, the balance checked at each step. `report
payments` with --since/--until/--rep and its total line; `report receivables`' last payment;
the after-sales follow-up at order day + after_sales_days (none with 0); reorders expected from
known intervals (`report reorders`, and the derived lines of `followup due`); the profit
ranking leaving out a customer whose order has no cost; a bad quantity in --items named with
the SKU as typed.

Money in JSON is read with Decimal, never as binary floats.
"""

import json
import sqlite3
import unittest
from decimal import Decimal

from fbtest import FieldbookTestCase, TODAY

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

[[product]]
sku = "TST-CLIP"
name = "测试回形针"
category = "paper"
unit = "盒"
price = "2.00"
"""


def at(day, time="10:00:00"):
    return {"FIELDBOOK_NOW": f"{day}T{time}+08:00"}


class MoneyCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")
        self.write_template("catalog.toml", CATALOG)
        self.fb_ok("customer", "add", "蓝海数据科技")
        self.fb_ok("customer", "add", "锦城律师事务所")
        self.fb_ok("customer", "add", "星河教育")

    def jrows(self, *args, env=None):
        out, _ = self.fb_ok(*args, "--format", "json", env=env)
        data = json.loads(out, parse_float=Decimal)
        self.assertIsInstance(data, list)
        return data

    def order_ids(self):
        return {o["id"] for o in self.jrows("order", "list")}

    def add_order(self, customer, *args, env=None):
        before = self.order_ids()
        self.fb_ok("order", "add", customer, *args, env=env)
        new = self.order_ids() - before
        self.assertEqual(len(new), 1)
        return new.pop()

    def show(self, order_id):
        rows = self.jrows("order", "show", str(order_id))
        self.assertEqual(len(rows), 1)
        return rows[0]

    def assertMoney(self, value, expected, what=""):
        self.assertIsInstance(value, Decimal, f"{what}: {value!r} is not a JSON number")
        self.assertEqual(str(value), expected, what)

    def assertBalance(self, order_id, paid, outstanding, payments):
        o = self.show(order_id)
        self.assertMoney(o["paid"], paid, "paid")
        self.assertMoney(o["outstanding"], outstanding, "outstanding")
        self.assertEqual([(p["day"], str(p["amount"]), p["note"], p["who"])
                          for p in o["payments"]], payments)
        return o

    def followups(self, *args):
        return self.jrows("followup", "list", "--state", "all", "--all", *args)

    def use_config(self, text):
        self.write_config(text)


class PaymentCancelUndoTest(MoneyCase):

    def setUp(self):
        super().setUp()
        # A manager may read everyone's follow-ups; zhangwei becomes one.
        self.fb_ok("rep", "edit", "zhangwei", "--role", "manager")

    def test_pay_cancel_refund_and_undo_with_the_balance_at_each_step(self):
        oid = self.add_order("蓝海", "--amount", "1000", "--due", "2026-12-26")
        self.assertBalance(oid, "0.00", "1000.00", [])

        self.fb_ok("order", "pay", str(oid), "--amount", "300", "--note", "银行转账")
        self.assertBalance(oid, "300.00", "700.00",
                           [(TODAY, "300.00", "银行转账", "zhangwei")])

        # Cancelling while money is paid is refused, naming why, and writes nothing.
        code, out, err = self.assertUnchangedBy(
            lambda: self.fb("order", "cancel", str(oid), "--reason", "客户改签"))
        self.assertIn("300.00 paid", err)
        self.assertIn("--refund", err)

        # A payment entered wrongly, then taken back with undo.
        self.fb_ok("order", "pay", str(oid), "--amount", "200")
        self.assertBalance(oid, "500.00", "500.00",
                           [(TODAY, "300.00", "银行转账", "zhangwei"),
                            (TODAY, "200.00", None, "zhangwei")])
        self.fb_ok("undo")
        self.assertBalance(oid, "300.00", "700.00",
                           [(TODAY, "300.00", "银行转账", "zhangwei")])

        open_before = [f for f in self.followups() if f["state"] == "open"]
        self.assertEqual(sorted(f["reason"] for f in open_before), ["after-sales", "collection"])

        _, err = self.fb_ok("order", "cancel", str(oid), "--reason", "客户改签", "--refund")
        self.assertIn("300.00 refunded", err)
        self.assertIn("2 open follow-up(s) dropped", err)
        o = self.assertBalance(oid, "300.00", "0.00",
                               [(TODAY, "300.00", "银行转账", "zhangwei")])
        self.assertEqual(o["cancelled"], TODAY)
        self.assertEqual(o["cancel_reason"], "客户改签")
        self.assertMoney(o["refunded"], "300.00", "refunded")
        states = {f["reason"]: f["state"] for f in self.followups()}
        self.assertEqual(states, {"after-sales": "dropped", "collection": "dropped"})
        # Out of receivables and open orders; listed, marked cancelled.
        self.assertEqual(self.jrows("report", "receivables"), [])
        self.assertEqual(self.jrows("order", "list", "--open"), [])
        self.assertEqual([o["cancelled"] for o in self.jrows("order", "list")], [TODAY])
        # A cancelled order takes no payment; cancelling twice is refused too.
        _, _, err = self.assertUnchangedBy(
            lambda: self.fb("order", "pay", str(oid), "--amount", "10"))
        self.assertIn("cancelled", err)
        self.assertUnchangedBy(
            lambda: self.fb("order", "cancel", str(oid), "--reason", "再次", "--refund"))

        # Undo restores the order, its balance and its follow-ups.
        self.fb_ok("undo")
        o = self.assertBalance(oid, "300.00", "700.00",
                               [(TODAY, "300.00", "银行转账", "zhangwei")])
        self.assertIsNone(o["cancelled"])
        self.assertIsNone(o["refunded"])
        self.assertEqual({f["reason"]: f["state"] for f in self.followups()},
                         {"after-sales": "open", "collection": "open"})
        self.assertMoney(self.jrows("report", "receivables")[0]["outstanding"], "700.00")

    def test_cancel_without_money_paid_needs_only_a_reason(self):
        oid = self.add_order("蓝海", "--amount", "500")
        self.assertUsageError(self.fb("order", "cancel", str(oid)), "--reason")
        self.fb_ok("order", "cancel", str(oid), "--reason", "下错单")
        o = self.show(oid)
        self.assertEqual(o["cancelled"], TODAY)
        self.assertIsNone(o["refunded"])
        self.assertMoney(o["outstanding"], "0.00")

    def test_show_lists_payments_in_every_format(self):
        oid = self.add_order("蓝海", "--amount", "1000", "--prepaid", "100")
        self.fb_ok("--as", "zhangwei", "order", "pay", str(oid), "--amount", "250", "--note",
                   "转账")
        table, _ = self.fb_ok("order", "show", str(oid))
        self.assertIn("payments", table)
        lines = table.splitlines()
        self.assertTrue(any("预付" in line and "100.00" in line and "zhangwei" in line
                            for line in lines), table)
        self.assertTrue(any("转账" in line and "250.00" in line for line in lines), table)
        self.assertIn("paid 350.00 of 1000.00, outstanding 650.00", table)
        rows = self.csv_rows("order", "show", str(oid))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["paid"], "350.00")
        self.assertEqual(rows[0]["outstanding"], "650.00")
        self.assertEqual(rows[0]["payments"],
                         f"{TODAY} 100.00 预付 (zhangwei); {TODAY} 250.00 转账 (zhangwei)")

    def test_an_old_payment_is_credited_to_the_rep_whose_command_recorded_it(self):
        oid = self.add_order("锦城", "--amount", "800", env={"FIELDBOOK_USER": "lina"})
        self.fb_ok("--as", "lina", "order", "pay", str(oid), "--amount", "80")
        con = sqlite3.connect(self.db)
        with con:
            con.execute("UPDATE payment SET rep_id = NULL")
        con.close()
        self.assertBalance(oid, "80.00", "720.00", [(TODAY, "80.00", None, "lina")])
        self.assertEqual([p["who"] for p in self.jrows("report", "payments")], ["lina"])


class PaymentReportTest(MoneyCase):

    def setUp(self):
        super().setUp()
        self.a = self.add_order("蓝海", "--amount", "1000", "--prepaid", "100", "--on",
                                "2026-11-01")
        self.b = self.add_order("锦城", "--amount", "500", "--on", "2026-11-05",
                                env={"FIELDBOOK_USER": "lina"})
        self.c = self.add_order("星河", "--amount", "300", "--on", "2026-11-06")
        self.fb_ok("order", "pay", str(self.a), "--amount", "200", "--on", "2026-11-10",
                   "--note", "转账")
        self.fb_ok("--as", "lina", "order", "pay", str(self.b), "--amount", "150", "--on",
                   "2026-11-12", "--note", "现金")
        self.fb_ok("order", "pay", str(self.a), "--amount", "50", "--on", "2026-11-20")

    def received(self, *args):
        return [(r["day"], r["order_id"], r["customer"], str(r["amount"]), r["who"], r["note"])
                for r in self.jrows("report", "payments", *args)]

    def test_every_payment_oldest_first(self):
        self.assertEqual(self.received(), [
            ("2026-11-01", self.a, "蓝海数据科技", "100.00", "zhangwei", "预付"),
            ("2026-11-10", self.a, "蓝海数据科技", "200.00", "zhangwei", "转账"),
            ("2026-11-12", self.b, "锦城律师事务所", "150.00", "lina", "现金"),
            ("2026-11-20", self.a, "蓝海数据科技", "50.00", "zhangwei", None),
        ])
        self.assertEqual(
            self.received("--since", "2026-11-05", "--until", "2026-11-12"),
            [("2026-11-10", self.a, "蓝海数据科技", "200.00", "zhangwei", "转账"),
             ("2026-11-12", self.b, "锦城律师事务所", "150.00", "lina", "现金")])
        self.assertEqual(self.received("--rep", "lina"),
                         [("2026-11-12", self.b, "锦城律师事务所", "150.00", "lina", "现金")])
        self.assertEqual(self.received("--since", "2026-11-21"), [])

    def test_the_table_ends_with_the_total(self):
        out, _ = self.fb_ok("report", "payments")
        last = out.splitlines()[-1]
        self.assertTrue(last.startswith("total"), out)
        self.assertIn("4 payment(s)", last)
        self.assertIn("500.00", last)  # 100 + 200 + 150 + 50
        out, _ = self.fb_ok("report", "payments", "--rep", "zhangwei", "--until", "2026-11-15")
        self.assertIn("300.00", out.splitlines()[-1])  # 100 + 200
        # Machines get the rows only.
        self.assertEqual(len(self.csv_rows("report", "payments")), 4)

    def test_receivables_show_the_last_payment(self):
        rows = {r["id"]: r for r in self.jrows("report", "receivables")}
        self.assertEqual(rows[self.a]["last_paid_day"], "2026-11-20")
        self.assertMoney(rows[self.a]["last_paid"], "50.00")
        self.assertEqual(rows[self.b]["last_paid_day"], "2026-11-12")
        self.assertMoney(rows[self.b]["last_paid"], "150.00")
        self.assertIsNone(rows[self.c]["last_paid_day"])
        self.assertIsNone(rows[self.c]["last_paid"])

    def test_a_cancelled_order_leaves_payments_receivables_and_rankings(self):
        before = {r["customer"]: r["revenue"] for r in self.jrows("rank", "customers")}
        self.assertIn("锦城律师事务所", before)
        self.fb_ok("--as", "lina", "order", "cancel", str(self.b), "--reason", "退货",
                   "--refund")
        self.assertNotIn(self.b, [r[1] for r in self.received()])
        self.assertNotIn(self.b, [r["id"] for r in self.jrows("report", "receivables")])
        after = {r["customer"]: r["revenue"] for r in self.jrows("rank", "customers")}
        self.assertNotIn("锦城律师事务所", after)
        customers = {r["name"]: r for r in self.jrows("report", "customers")}
        self.assertEqual(customers["锦城律师事务所"]["orders"], 0)
        self.assertEqual(customers["蓝海数据科技"]["orders"], 1)


class AfterSalesTest(MoneyCase):

    def after_sales(self):
        return [f for f in self.jrows("followup", "list", "--state", "all")
                if f["reason"] == "after-sales"]

    def test_an_order_plans_an_after_sales_call_fourteen_days_on(self):
        oid = self.add_order("蓝海", "--amount", "600", "--on", "2026-11-20", "--prepaid", "600")
        rows = self.after_sales()
        self.assertEqual(len(rows), 1, rows)
        f = rows[0]
        self.assertEqual(f["due"], "2026-12-04")  # 11-20 + 14
        self.assertEqual(f["channel"], "phone")
        self.assertEqual(f["rep"], "zhangwei")
        self.assertEqual(f["state"], "open", "paid in full: the check is still owed")
        self.assertIn(f"订单 #{oid}", f["note"])
        self.assertIn("到货", f["note"])
        due = self.jrows("followup", "due", env=at("2026-12-04"))
        self.assertEqual([r["reason"] for r in due], ["after-sales"])
        self.assertEqual(self.jrows("followup", "due", env=at("2026-12-03")), [])

    def test_the_days_come_from_the_config_and_zero_plans_none(self):
        self.use_config("after_sales_days = 3\n")
        self.add_order("蓝海", "--amount", "600")
        self.assertEqual([f["due"] for f in self.after_sales()], ["2026-11-29"])
        self.use_config("after_sales_days = 0\n")
        self.add_order("锦城", "--amount", "600")
        self.assertEqual(len(self.after_sales()), 1, "no second one")
        self.use_config("after_sales_days = -1\n")
        self.assertUsageError(self.fb("order", "list"), "after_sales_days")

    def test_followup_add_takes_the_after_sales_reason(self):
        self.fb_ok("followup", "add", "星河", "--due", "+2d", "--reason", "after-sales")
        self.assertEqual([f["due"] for f in self.after_sales()], ["2026-11-28"])


class ReorderTest(MoneyCase):
    """TST-100 for 蓝海 on 10-01, 10-11, 10-31: intervals 10 and 20, median 15, expected 11-15
    (11 days overdue on 11-26). TST-CLIP for 锦城 (lina's) on 11-01 and 11-15: 14 days,
    expected 11-29 (in 3 days). A cancelled TST-100 order on 11-20 does not count."""

    def setUp(self):
        super().setUp()
        self.use_config("after_sales_days = 0\n")
        for day in ("2026-10-01", "2026-10-11", "2026-10-31"):
            self.add_order("蓝海", "--items", "TST-100:5", "--on", day)
        self.add_order("蓝海", "--items", "TST-CLIP:3", "--on", "2026-10-11")
        lina = {"FIELDBOOK_USER": "lina"}
        for day in ("2026-11-01", "2026-11-15"):
            self.add_order("锦城", "--items", "TST-CLIP:10,TST-100:1" if day == "2026-11-15"
                           else "TST-CLIP:10", "--on", day, env=lina)
        cancelled = self.add_order("蓝海", "--items", "TST-100:5", "--on", "2026-11-20")
        self.fb_ok("order", "cancel", str(cancelled), "--reason", "下错单")

    def reorders(self, *args, env=None):
        return [(r["customer"], r["sku"], r["name"], r["orders"], str(r["median_interval"]),
                 r["last_day"], r["expected_day"], r["days_until"])
                for r in self.jrows("report", "reorders", *args, env=env)]

    def test_report_reorders(self):
        blue = ("蓝海数据科技", "TST-100", "测试复印纸", 3, "15.0", "2026-10-31", "2026-11-15", -11)
        clip = ("锦城律师事务所", "TST-CLIP", "测试回形针", 2, "14.0", "2026-11-15", "2026-11-29",
                3)
        self.assertEqual(self.reorders(), [blue, clip])
        self.assertEqual(self.reorders("--within", "2"), [blue])
        self.assertEqual(self.reorders("--rep", "lina"), [clip])
        self.assertEqual(self.reorders("--rep", "zhangwei"), [blue])
        self.assertUsageError(self.fb("report", "reorders", "--within", "x"), "--within")

    def test_followup_due_shows_derived_reorder_lines(self):
        mine = self.jrows("followup", "due")
        self.assertEqual(len(mine), 1, mine)
        r = mine[0]
        self.assertIsNone(r["id"], "derived: not a stored follow-up")
        self.assertEqual(r["reason"], "reorder expected")
        self.assertEqual(r["customer"], "蓝海数据科技")
        self.assertEqual(r["due"], "2026-11-15")
        self.assertEqual(r["overdue_days"], 11)
        self.assertIn("derived", r["note"])
        self.assertIn("TST-100", r["note"])
        theirs = self.jrows("--as", "lina", "followup", "due")
        self.assertEqual([(r["customer"], r["due"], r["overdue_days"]) for r in theirs],
                         [("锦城律师事务所", "2026-11-29", 0)])
        # Four days ahead is too far: lina on 11-25, zhangwei on 11-11 (expected 11-15).
        self.assertEqual(self.jrows("--as", "lina", "followup", "due", env=at("2026-11-25")),
                         [])
        self.assertEqual(self.jrows("followup", "due", "--on", "2026-11-11"), [])
        _, err = self.fb_ok("followup", "due")
        self.assertIn("derived from the order history", err)
        self.assertEqual(self.sql("SELECT COUNT(*) FROM followup")[0][0], 0, "nothing stored")


class ProfitAndItemsTest(MoneyCase):

    def test_a_missing_cost_leaves_the_customer_out_of_the_profit_ranking(self):
        self.add_order("蓝海", "--amount", "1000", "--cost", "600")
        self.add_order("锦城", "--amount", "500")  # no cost: profit unknown
        self.add_order("锦城", "--amount", "100", "--cost", "50")
        self.add_order("星河", "--amount", "300", "--cost", "100")
        rows = self.jrows("rank", "customers", "--by", "profit")
        self.assertEqual([(r["rank"], r["customer"], None if r["profit"] is None
                           else str(r["profit"])) for r in rows],
                         [(1, "蓝海数据科技", "400.00"), (2, "星河教育", "200.00"),
                          (None, "锦城律师事务所", None)])
        self.assertEqual(str(rows[0]["share"]), "66.7")  # 400 of 600: 锦城 not in the total
        code, out, err = self.fb("rank", "customers", "--by", "profit")
        self.assertEqual(code, 0, err)
        self.assertIn("1 customer(s) left out", err)
        self.assertIn("profit unknown", err)
        line = [l for l in out.splitlines() if "锦城" in l][0]
        self.assertIn("unknown", line)
        # By revenue every customer counts.
        self.assertEqual(len(self.jrows("rank", "customers")), 3)

    def test_a_bad_quantity_names_the_sku_as_typed(self):
        cases = {
            "tst-100:x": ("tst-100", "quantity 'x' is not a whole number"),
            "ＴＳＴ-100:1.5": ("ＴＳＴ-100", "quantity '1.5' is not a whole number"),
            "TST-100:0": ("TST-100", "quantity 0 must be 1 or more"),
            "TST-CLIP:2,TST-100:-3": ("TST-100", "quantity -3 must be 1 or more"),
            "TST-100:": ("TST-100", "the quantity is missing"),
            "TST-100:2000000": ("TST-100", "quantity 2000000 is more than 1000000"),
        }
        for items, needles in cases.items():
            with self.subTest(items=items):
                self.assertUsageError(
                    self.assertUnchangedBy(
                        lambda: self.fb("order", "add", "蓝海", "--items", items)),
                    "--items", *needles)
        # Full-width separators as a Chinese keyboard types them are still read.
        self.fb_ok("order", "add", "蓝海", "--items", "TST-100：2，TST-CLIP：1")
        self.assertEqual(str(self.jrows("order", "list")[0]["amount"]), "202.00")


if __name__ == "__main__":
    unittest.main()
