"""`rank customers`: the Pareto (ABC) analysis on hand-computed fixtures, on a fixed clock.

Expectations are computed here, independently of the program: value per customer (revenue, or
amount − cost for --by profit), sorted by value descending and then by name; share and
cumulative share in percent; a customer's ABC class is the class its share *starts* in (the
cumulative share of the customers ranked before it: below abc_a → A, below abc_b → B, else C),
so the customer that crosses 80% is still an A. Also --since/--until, config abc_a/abc_b, the
headline on stderr, csv read back with Python's csv module equal to json, and no orders.
"""

import json
import unittest
from decimal import Decimal, ROUND_HALF_UP

from fbtest import FieldbookTestCase, parse_csv, json_cell_as_text


def expected_ranking(values, a=80, b=95):
    """[(name, value, share, cumulative, abc)] for {name: Decimal value}, computed here."""
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(values.values())
    out, running = [], Decimal(0)
    for name, value in ordered:
        before = running * 100 / total
        running += value
        abc = "A" if before < a else "B" if before < b else "C"
        one = Decimal("0.1")
        out.append((name, value,
                    (value * 100 / total).quantize(one, rounding=ROUND_HALF_UP),
                    (running * 100 / total).quantize(one, rounding=ROUND_HALF_UP), abc))
    return out


# Revenue 500, 300, 100, 60, 40 (total 1000): shares 50/30/10/6/4, cumulative 50/80/90/96/100.
# Starting points 0/50/80/90/96: A, A (crosses into 80 exactly, starts at 50), B (starts at 80),
# B (starts at 90 < 95, crosses 95), C (starts at 96).
FIVE = {"甲公司": ("300", "200"), "乙公司": ("300",), "丙公司": ("100",), "丁公司": ("60",),
        "戊公司": ("40",)}
FIVE_ORDER = ["甲公司", "乙公司", "丙公司", "丁公司", "戊公司"]
FIVE_ABC = ["A", "A", "B", "B", "C"]


class RankCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("zhangwei", "张伟")

    def customer_with_orders(self, name, *orders):
        """orders: amount strings, or (amount, extra args...) tuples."""
        self.fb_ok("customer", "add", name, "--new")
        for order in orders:
            amount, *extra = (order,) if isinstance(order, str) else order
            self.fb_ok("order", "add", name, "--amount", amount, *extra)

    def rank(self, *args, env=None):
        out, err = self.fb_ok("rank", "customers", *args, "--format", "json", env=env)
        data = json.loads(out, parse_float=Decimal)
        self.assertIsInstance(data, list)
        return data, err

    def assertRanking(self, rows, expected, by="revenue"):
        got = [(r["customer"], r[by], r["share"], r["cumulative"], r["abc"]) for r in rows]
        self.assertEqual(got, expected)
        self.assertEqual([r["rank"] for r in rows], list(range(1, len(rows) + 1)))
        for r, e in zip(rows, expected):
            self.assertEqual(str(r[by]), f"{e[1]:.2f}", "money exact to the fen")


class ParetoTest(RankCase):

    def setUp(self):
        super().setUp()
        for name in reversed(FIVE_ORDER):     # entered smallest first
            self.customer_with_orders(name, *FIVE[name])

    def test_hand_computed_five_customers(self):
        rows, err = self.rank()
        values = {n: sum(Decimal(a) for a in FIVE[n]) for n in FIVE}
        expected = expected_ranking(values)
        self.assertEqual([e[0] for e in expected], FIVE_ORDER)
        self.assertEqual([e[4] for e in expected], FIVE_ABC)
        self.assertEqual([e[2] for e in expected], [Decimal(x) for x in
                                                    ("50.0", "30.0", "10.0", "6.0", "4.0")])
        self.assertEqual([e[3] for e in expected], [Decimal(x) for x in
                                                    ("50.0", "80.0", "90.0", "96.0", "100.0")])
        self.assertRanking(rows, expected)
        self.assertEqual([r["orders"] for r in rows], [2, 1, 1, 1, 1])
        self.assertEqual([r["owner"] for r in rows], ["zhangwei"] * 5)

    def test_headline_on_stderr(self):
        code, out, err = self.fb("rank", "customers")
        self.assertEqual(code, 0, err)
        self.assertIn("top 40% of customers (2 of 5) bring 80% of revenue", err)
        self.assertNotIn("bring 80%", out, "the headline is a message, not data")
        _, err = self.rank()
        self.assertIn("top 40% of customers (2 of 5) bring 80% of revenue", err)

    def test_config_thresholds_change_the_classes(self):
        self.write_config("abc_a = 50\nabc_b = 90\n")
        rows, err = self.rank()
        values = {n: sum(Decimal(a) for a in FIVE[n]) for n in FIVE}
        expected = expected_ranking(values, a=50, b=90)
        # starts 0/50/80/90/96 → A, B, B, C, C
        self.assertEqual([e[4] for e in expected], ["A", "B", "B", "C", "C"])
        self.assertRanking(rows, expected)
        self.assertIn("top 20% of customers (1 of 5) bring 50% of revenue", err)

        self.write_config("abc_a = 90\nabc_b = 97\n")
        rows, err = self.rank()
        # starts 0/50/80/90/96 → A, A, A, B, B
        self.assertEqual([r["abc"] for r in rows], ["A", "A", "A", "B", "B"])
        self.assertIn("top 60% of customers (3 of 5) bring 90% of revenue", err)

    def test_invalid_thresholds_exit_2(self):
        self.write_config("abc_a = 95\nabc_b = 80\n")
        self.assertUsageError(self.fb("rank", "customers"), "abc_a")

    def test_csv_equals_json(self):
        rows, _ = self.rank()
        out, _ = self.fb_ok("rank", "customers", "--format", "csv")
        table = parse_csv(out)
        self.assertEqual(len(table), 5)
        self.assertEqual(list(table[0].keys()), list(rows[0].keys()))
        self.assertEqual(table, [{k: json_cell_as_text(v) for k, v in r.items()} for r in rows])

    def test_profit_uses_amount_minus_cost(self):
        # 锦城 has the most revenue (2000) but a profit of 100; 蓝海 revenue 800, profit 600.
        self.customer_with_orders("锦城律师事务所", ("2000", "--cost", "1900"))
        self.customer_with_orders("蓝海数据科技", ("500", "--cost", "100"),
                                  ("300", "--cost", "100"))
        rows, _ = self.rank()
        self.assertEqual(rows[0]["customer"], "锦城律师事务所")
        rows, err = self.rank("--by", "profit")
        self.assertIn("profit", rows[0])
        # The five were entered without a cost: their profit is unknown, so they are left out
        # of the ranking (and its total) and follow it unranked, by name, without a value.
        ranked = [r for r in rows if r["rank"] is not None]
        values = {"锦城律师事务所": Decimal("100"), "蓝海数据科技": Decimal("600")}
        self.assertRanking(ranked, expected_ranking(values), by="profit")
        self.assertEqual(ranked[0]["customer"], "蓝海数据科技")
        unknown = rows[len(ranked):]
        self.assertEqual([r["customer"] for r in unknown], sorted(FIVE))
        self.assertEqual({r["profit"] for r in unknown}, {None})
        self.assertIn("of profit", err)
        self.assertIn("5 customer(s) left out of the ranking: profit unknown", err)

    def test_unknown_by_exits_2(self):
        self.assertUsageError(self.fb("rank", "customers", "--by", "visits"), "--by")


class PeriodTest(RankCase):

    def test_since_and_until_filter_by_order_day(self):
        self.customer_with_orders("甲公司", ("100", "--on", "2026-10-31"),
                                  ("200", "--on", "2026-11-01"))
        self.customer_with_orders("乙公司", ("150", "--on", "2026-11-15"),
                                  ("1000", "--on", "2026-11-26"))
        self.customer_with_orders("丙公司", ("50", "--on", "2026-11-20"))
        rows, _ = self.rank("--since", "2026-11-01", "--until", "2026-11-25")
        # 甲 200, 乙 150, 丙 50 (total 400): shares 50/37.5/12.5, starts 0/50/87.5 → A, A, B
        expected = expected_ranking({"甲公司": Decimal("200"), "乙公司": Decimal("150"),
                                     "丙公司": Decimal("50")})
        self.assertEqual([e[4] for e in expected], ["A", "A", "B"])
        self.assertRanking(rows, expected)
        self.assertEqual([r["orders"] for r in rows], [1, 1, 1])

        rows, _ = self.rank("--since", "2026-11-16")
        self.assertRanking(rows, expected_ranking({"乙公司": Decimal("1000"),
                                                   "丙公司": Decimal("50")}))
        rows, _ = self.rank("--until", "2026-10-31")
        self.assertRanking(rows, expected_ranking({"甲公司": Decimal("100")}))

    def test_a_period_without_orders_is_empty(self):
        self.customer_with_orders("甲公司", ("100", "--on", "2026-11-01"))
        rows, _ = self.rank("--since", "2026-11-02")
        self.assertEqual(rows, [])


class EdgeTest(RankCase):

    def test_ties_are_broken_by_name(self):
        for name in ("C座商贸", "A座商贸", "B座商贸"):
            self.customer_with_orders(name, "100")
        self.customer_with_orders("D座商贸", "700")
        rows, _ = self.rank()
        expected = expected_ranking({"A座商贸": Decimal(100), "B座商贸": Decimal(100),
                                     "C座商贸": Decimal(100), "D座商贸": Decimal(700)})
        self.assertEqual([e[0] for e in expected], ["D座商贸", "A座商贸", "B座商贸", "C座商贸"])
        # starts 0/70/80/90 → A, A, B, B
        self.assertEqual([e[4] for e in expected], ["A", "A", "B", "B"])
        self.assertRanking(rows, expected)
        again, _ = self.rank()
        self.assertEqual(again, rows, "the same order every time")

    def test_a_single_customer_is_all_of_it_and_class_a(self):
        self.customer_with_orders("蓝海数据科技", "1280.50", "19.50")
        rows, err = self.rank()
        self.assertEqual(len(rows), 1)
        r = rows[0]
        self.assertEqual(r["customer"], "蓝海数据科技")
        self.assertEqual(str(r["revenue"]), "1300.00")
        self.assertEqual(r["share"], Decimal("100.0"))
        self.assertEqual(r["cumulative"], Decimal("100.0"))
        self.assertEqual(r["abc"], "A")
        self.assertEqual(r["orders"], 2)
        self.assertIn("top 100% of customers (1 of 1) bring 80% of revenue", err)

    def test_no_orders_is_an_empty_listing(self):
        self.fb_ok("customer", "add", "蓝海数据科技")
        rows, _ = self.rank()
        self.assertEqual(rows, [])
        out, _ = self.fb_ok("rank", "customers", "--format", "csv")
        self.assertEqual(parse_csv(out), [])
        self.assertTrue(out.startswith("rank,customer,"), out)
        code, out, err = self.fb("rank", "customers")
        self.assertEqual(code, 0, err)
        self.assertNotIn("top ", err)


if __name__ == "__main__":
    unittest.main()
