"""The product catalog: `visit catalog` in table/csv/json/md/html, --category, --search,
--qty with bulk-discount tiers at boundary quantities, the user's own catalog.toml, and every
catalog.toml error reported as FILE:LINE:COLUMN (exit 2).

Prices are compared as exact decimals (json parsed with Decimal), never as floats. Tier
prices are computed here independently: a discount tier is list price × (1 − d%) rounded half
up to the cent; a price tier is that price; the highest tier reached applies.
"""

import json
import os
import re
import unicodedata
import unittest
from decimal import Decimal, ROUND_HALF_UP
from html.parser import HTMLParser

from fbtest import FieldbookTestCase, display_width, positioned

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED_TOML = os.path.normpath(os.path.join(HERE, "..", "..", "data", "catalog.toml"))
CATEGORIES = {"paper": "纸张", "writing": "书写工具", "filing": "文件管理",
              "printer": "打印耗材", "equipment": "办公设备", "pantry": "茶水间用品"}
CENT = Decimal("0.01")

try:
    import tomllib
except ImportError:          # Python < 3.11
    tomllib = None


def position(text, needle, nth=1):
    """(line, column) of the nth occurrence of needle, 1-based, column in characters."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def fold(text):
    return unicodedata.normalize("NFKC", text).casefold()


def expected_unit_price(price, tiers, qty):
    """Unit price at qty, computed here: price and tier prices as Decimal yuan."""
    unit = Decimal(price)
    for tier in tiers:
        if qty < tier["min"]:
            break
        if "price" in tier:
            unit = Decimal(str(tier["price"]))
        else:
            off = Decimal(str(tier["discount"]))
            unit = (Decimal(price) * (100 - off) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return unit


class SheetParser(HTMLParser):
    """Checks that tags balance; collects table cells, headings and style text."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.decls = [], [], []
        self.cells, self.headings, self.style = [], [], ""
        self.tags = []
        self._cell = None
        self._heading = None

    def handle_decl(self, decl):
        self.decls.append(decl)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag in ("td", "th"):
            self._cell = ""
        if tag in ("h1", "h2", "h3"):
            self._heading = ""

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append((tag, self._cell))
            self._cell = None
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append((tag, self._heading))
            self._heading = None

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style += data
        if self._cell is not None:
            self._cell += data
        if self._heading is not None:
            self._heading += data


class CatalogCase(FieldbookTestCase):

    def catalog_path(self):
        return os.path.join(self.config_home, "fieldbook", "catalog.toml")

    def write_catalog(self, text):
        return self.write_template("catalog.toml", text)

    def products(self, *args, env=None):
        out, err = self.fb_ok("visit", "catalog", *args, "--format", "json", env=env)
        rows = json.loads(out, parse_float=Decimal)
        self.assertIsInstance(rows, list)
        return rows

    def skus(self, *args):
        return [p["sku"] for p in self.products(*args)]


class ShippedCatalogTest(CatalogCase):

    def test_at_least_30_products_in_table_csv_json(self):
        rows = self.products()
        self.assertGreaterEqual(len(rows), 30)
        skus = [r["sku"] for r in rows]
        self.assertEqual(len(set(skus)), len(skus), "SKUs are unique")
        self.assertEqual({r["category"] for r in rows}, set(CATEGORIES),
                         "paper, writing, filing, printer, equipment and pantry")
        for r in rows:
            for key in ("sku", "name", "brand", "model", "spec", "unit"):
                self.assertIsInstance(r[key], str, f"{r['sku']}: {key}")
                self.assertTrue(r[key].strip(), f"{r['sku']}: {key} is empty")
            self.assertIsInstance(r["price"], Decimal, r["sku"])
            self.assertGreater(r["price"], 0, r["sku"])
        self.assertGreaterEqual(sum(1 for r in rows if r["tiers"]), 15,
                                "most products have bulk-discount tiers")
        csv_rows = self.csv_rows("visit", "catalog")
        self.assertEqual([r["sku"] for r in csv_rows], skus)
        for c, j in zip(csv_rows, rows):
            self.assertEqual(c["name"], j["name"])
            self.assertEqual(Decimal(c["price"]), j["price"])
            self.assertRegex(c["price"], r"^\d+\.\d\d$")
        out, _ = self.fb_ok("visit", "catalog")
        body = out.rstrip("\n").split("\n")[2:]
        self.assertEqual(len(body), len(rows), "one table line per product")
        for line, r in zip(body, rows):
            self.assertIn(r["sku"], line)

    def test_table_is_grouped_and_aligned_by_display_width(self):
        rows = self.products()
        out, err = self.fb_ok("visit", "catalog")
        lines = out.rstrip("\n").split("\n")
        rule = lines[1]
        self.assertRegex(rule, r"^[─ ]+$")
        spans = [(m.start(), m.end()) for m in re.finditer("─+", rule)]
        heading = self.cut(lines[0], spans)
        names = [h.strip() for h in heading]
        self.assertEqual(names[:9], ["category", "sku", "name", "brand", "model", "spec", "unit",
                                     "price", "tiers"])
        previous = None
        for line, r in zip(lines[2:], rows):
            cells = dict(zip(names, self.cut(line, spans)))
            # category title at the head of its group only
            title = cells["category"].strip()
            if r["category"] != previous:
                self.assertEqual(title, CATEGORIES[r["category"]], line)
            else:
                self.assertEqual(title, "", line)
            previous = r["category"]
            self.assertEqual(cells["sku"].rstrip(), r["sku"])
            for key in ("name", "brand", "model", "spec", "tiers"):
                shown = cells[key].rstrip()
                if shown != r[key]:
                    self.assertTrue(shown.endswith("…") and r[key].startswith(shown[:-1]),
                                    f"{key}: {shown!r} vs {r[key]!r}")
            price = cells["price"]
            self.assertEqual(Decimal(price.strip()), r["price"])
            self.assertFalse(price.endswith(" "), "price is right-aligned")
        self.assertGreater(len(spans), 8)

    def cut(self, line, spans):
        cells = ["" for _ in spans]
        for col, ch, w in positioned(line):
            for i, (a, b) in enumerate(spans):
                if a <= col < b:
                    self.assertLessEqual(col + w, b, f"{ch!r} crosses column {i} in {line!r}")
                    cells[i] += ch
                    break
            else:
                self.assertEqual(ch, " ", f"{ch!r} at column {col} outside every column "
                                          f"(misaligned) in {line!r}")
        return [c + " " * ((b - a) - display_width(c)) for c, (a, b) in zip(cells, spans)]

    def test_category_by_title_or_key(self):
        all_rows = self.products()
        paper = [r["sku"] for r in all_rows if r["category"] == "paper"]
        self.assertTrue(paper)
        self.assertEqual(self.skus("--category", "纸张"), paper)
        self.assertEqual(self.skus("--category", "paper"), paper)
        out, _ = self.fb_ok("visit", "catalog", "--category", "纸张")
        self.assertEqual(len(out.rstrip("\n").split("\n")) - 2, len(paper))
        self.assertIn("纸张", out)
        self.assertNotIn("打印耗材", out)

    def test_unknown_category_exits_2_listing_the_known(self):
        self.assertUsageError(self.fb("visit", "catalog", "--category", "玩具"), "玩具", "纸张",
                              "paper", "pantry")

    def search_expected(self, term):
        needle = fold(term)
        return [r["sku"] for r in self.products()
                if needle in fold("\n".join(r[k] for k in ("sku", "name", "brand", "model",
                                                            "spec")))]

    def test_search_chinese_substring(self):
        found = self.products("--search", "硒鼓")
        self.assertGreaterEqual(len(found), 2)
        for r in found:
            self.assertIn("硒鼓", r["name"] + r["spec"] + r["model"] + r["brand"])
        self.assertEqual([r["sku"] for r in found], self.search_expected("硒鼓"))
        self.assertTrue(all(r["category"] == "printer" for r in found))
        # a single character matches too
        self.assertEqual(self.skus("--search", "鼓"), self.search_expected("鼓"))

    def test_search_full_width_and_upper_case(self):
        expected = self.search_expected("cf228a")
        self.assertTrue(expected)
        self.assertEqual(self.skus("--search", "ＣＦ２２８Ａ"), expected)
        self.assertEqual(self.skus("--search", "CF228A"), expected)
        self.assertEqual(self.skus("--search", "cf228a"), expected)
        expected = self.search_expected("a4")
        self.assertTrue(expected)
        self.assertEqual(self.skus("--search", "Ａ４"), expected)

    def test_search_with_no_match_is_empty_not_an_error(self):
        self.assertEqual(self.products("--search", "不存在的商品"), [])
        self.assertEqual(self.csv_rows("visit", "catalog", "--search", "不存在的商品"), [])

    def test_search_and_category_combine(self):
        expected = [s for s in self.search_expected("得力")
                    if s in self.skus("--category", "paper")]
        self.assertTrue(expected)
        self.assertEqual(self.skus("--search", "得力", "--category", "纸张"), expected)

    def test_html_is_a_well_formed_printable_sheet(self):
        rows = self.products()
        out, err = self.fb_ok("visit", "catalog", "--format", "html")
        parser = SheetParser()
        parser.feed(out)
        parser.close()
        self.assertEqual(parser.errors, [], "every closing tag matches its opening tag")
        self.assertEqual(parser.stack, [], "every tag is closed")
        self.assertTrue(parser.decls and parser.decls[0].lower() == "doctype html")
        for tag in ("html", "head", "body", "title", "style", "table"):
            self.assertIn(tag, parser.tags)
        self.assertRegex(parser.style, r"@media\s+print")
        cells = [text for tag, text in parser.cells if tag == "td"]
        for r in rows:
            self.assertIn(r["name"], cells, f"{r['name']} is on the sheet")
            self.assertIn(r["sku"], cells)
        h2 = [text.strip() for tag, text in parser.headings if tag == "h2"]
        self.assertEqual(set(h2), set(CATEGORIES.values()), "one section per category")
        self.assertEqual(len(h2), len(CATEGORIES))

    def test_markdown_has_one_section_per_category(self):
        rows = self.products()
        out, _ = self.fb_ok("visit", "catalog", "--format", "md")
        sections = re.split(r"(?m)^## ", out)
        self.assertEqual(sections[0].strip(), "", "nothing before the first section")
        sections = sections[1:]
        order = []
        for r in rows:
            if r["category"] not in order:
                order.append(r["category"])
        self.assertEqual([s.split("\n", 1)[0].strip() for s in sections],
                         [CATEGORIES[k] for k in order])
        for key, section in zip(order, sections):
            table = [l for l in section.split("\n") if l.startswith("|")]
            self.assertRegex(table[1], r"^\|( *:?-+:? *\|)+$", "a markdown separator row")
            skus = [l.split("|")[1].strip() for l in table[2:]]
            self.assertEqual(skus, [r["sku"] for r in rows if r["category"] == key])

    @unittest.skipIf(tomllib is None, "needs Python 3.11 tomllib")
    def test_shipped_tier_prices_at_every_boundary(self):
        with open(SHIPPED_TOML, "rb") as f:
            data = tomllib.load(f)
        source = {p["sku"]: p for p in data["product"]}
        self.assertEqual(set(self.skus()), set(source), "built-in catalog = data/catalog.toml")
        quantities = {1}
        for p in source.values():
            for t in p.get("tiers", []):
                quantities |= {t["min"] - 1, t["min"], t["min"] + 1}
        for qty in sorted(q for q in quantities if q >= 1):
            for r in self.products("--qty", str(qty)):
                p = source[r["sku"]]
                unit = expected_unit_price(p["price"], p.get("tiers", []), qty)
                self.assertEqual(r["quantity"], qty)
                self.assertEqual(r["unit_price"], unit, f"{r['sku']} at {qty}")
                self.assertEqual(r["total"], unit * qty, f"{r['sku']} total at {qty}")


TIER_CATALOG = '''currency = "CNY"

[categories]
paper = "纸张"
pantry = "茶水间"

[[product]]
sku = "T-100"
name = "测试纸"
category = "paper"
brand = "得力"
model = "T1"
spec = "500张/包"
unit = "包"
price = "100.00"
tiers = [
  { min = 10, discount = 5 },
  { min = 50, price = "80.00" },
]

[[product]]
sku = "R-3333"
name = "茶叶礼盒"
category = "pantry"
brand = "竹叶青"
model = "R3"
spec = "250g"
unit = "盒"
price = "33.33"
tiers = [ { min = 2, discount = 7.5 } ]

[[product]]
sku = "H-500"
name = "纸杯"
category = "pantry"
brand = "洁柔"
model = "H5"
spec = "50只/包"
unit = "包"
price = "5.00"
tiers = [ { min = 2, discount = 7.5 } ]

[[product]]
sku = "H-100"
name = "吸管"
category = "pantry"
brand = "洁柔"
model = "H1"
spec = "100支/包"
unit = "包"
price = "1.00"
tiers = [ { min = 2, discount = 7.5 } ]
'''


class TierPriceTest(CatalogCase):

    def setUp(self):
        super().setUp()
        self.write_catalog(TIER_CATALOG)

    def at(self, qty):
        return {r["sku"]: r for r in self.products("--qty", str(qty))}

    def test_the_users_catalog_replaces_the_shipped_one(self):
        self.assertEqual(self.skus(), ["T-100", "R-3333", "H-500", "H-100"])

    def test_boundaries_of_a_discount_tier_and_a_price_tier(self):
        expected = {1: "100.00", 9: "100.00", 10: "95.00", 11: "95.00", 49: "95.00",
                    50: "80.00", 51: "80.00"}
        for qty, unit in expected.items():
            r = self.at(qty)["T-100"]
            self.assertEqual(r["quantity"], qty)
            self.assertEqual(r["price"], Decimal("100.00"), "the list price stays")
            self.assertEqual(r["unit_price"], Decimal(unit), f"unit price at {qty}")
            self.assertEqual(r["total"], Decimal(unit) * qty, f"total at {qty}")

    def test_discount_rounds_half_up_to_the_cent(self):
        one = self.at(1)
        self.assertEqual(one["R-3333"]["unit_price"], Decimal("33.33"))
        r = self.at(2)
        self.assertEqual(r["R-3333"]["unit_price"], Decimal("30.83"))   # 30.83025
        self.assertEqual(r["H-500"]["unit_price"], Decimal("4.63"))     # 4.625 → up
        self.assertEqual(r["H-100"]["unit_price"], Decimal("0.93"))     # 0.925 → up
        r = self.at(3)
        self.assertEqual(r["R-3333"]["total"], Decimal("92.49"), "total = rounded unit × qty")
        self.assertEqual(r["H-500"]["total"], Decimal("13.89"))

    def test_large_quantity_total_is_exact(self):
        r = self.at(999999)["T-100"]
        self.assertEqual(r["unit_price"], Decimal("80.00"))
        self.assertEqual(r["total"], Decimal("79999920.00"))

    def test_quantity_beyond_a_million_is_refused(self):
        code, out, err = self.fb("visit", "catalog", "--qty", "1000001")
        self.assertEqual(code, 2, err)
        self.assertIn("--qty", err)
        self.assertEqual(out, "")

    def test_csv_and_table_show_the_same_prices(self):
        rows = self.csv_rows("visit", "catalog", "--qty", "10")
        by_sku = {r["sku"]: r for r in rows}
        self.assertEqual(by_sku["T-100"]["quantity"], "10")
        self.assertEqual(by_sku["T-100"]["unit_price"], "95.00")
        self.assertEqual(by_sku["T-100"]["total"], "950.00")
        self.assertEqual(by_sku["R-3333"]["unit_price"], "30.83")
        self.assertEqual(by_sku["R-3333"]["total"], "308.30")
        out, _ = self.fb_ok("visit", "catalog", "--qty", "10")
        line = next(l for l in out.split("\n") if "T-100" in l)
        self.assertRegex(line, r"\b10\s+95\.00\s+950\.00\s*$")

    def test_qty_must_be_a_positive_whole_number(self):
        for bad in ("0", "-1", "2.5", "十"):
            code, out, err = self.fb("visit", "catalog", "--qty", bad)
            self.assertEqual(code, 2, f"--qty {bad}: {err}")
            self.assertEqual(out, "")

    def test_html_escapes_names(self):
        self.write_catalog(TIER_CATALOG.replace('name = "测试纸"',
                                                'name = "纸 <b>粗</b> & \\"引号\\""'))
        out, _ = self.fb_ok("visit", "catalog", "--format", "html", "--qty", "10")
        parser = SheetParser()
        parser.feed(out)
        parser.close()
        self.assertEqual(parser.errors, [])
        self.assertNotIn("b", parser.tags, "a name cannot inject markup")
        self.assertIn('纸 <b>粗</b> & "引号"', [t for _, t in parser.cells])
        self.assertIn("950.00", [t for _, t in parser.cells])


class CatalogTemplateErrorTest(CatalogCase):
    """A broken catalog.toml: FILE:LINE:COLUMN: message, exit 2, nothing on stdout."""

    HEAD = '''# 我的价目表
currency = "CNY"

[categories]
paper = "纸张"
pantry = "茶水间"

[[product]]
sku = "P-1"
name = "A4复印纸"
category = "paper"
price = "128.00"
tiers = [ { min = 10, discount = 5 } ]
'''

    def product(self, **fields):
        lines = ["", "[[product]]"]
        for key, value in fields.items():
            lines.append(f"{key} = {value}")
        return "\n".join(lines) + "\n"

    def assertTemplateError(self, text, line, columns, *needles):
        path = self.write_catalog(text)
        code, out, err = self.fb("visit", "catalog")
        self.assertEqual(code, 2, f"expected exit 2; stderr:\n{err}")
        self.assertEqual(out, "")
        self.assertIn("fieldbook: error:", err)
        m = re.search(re.escape(path) + r":(\d+):(\d+): (.+)", err)
        self.assertIsNotNone(m, f"no {path}:LINE:COLUMN: in {err!r}")
        self.assertEqual(int(m.group(1)), line, f"line; text was:\n{text}\n{err}")
        if isinstance(columns, int):
            columns = (columns,)
        self.assertIn(int(m.group(2)), columns, f"column; text was:\n{text}\n{err}")
        for n in needles:
            self.assertIn(n, m.group(3))
        return err

    def key_or_value(self, text, key_text, value_text, nth=1):
        line, key_col = position(text, key_text, nth)
        vline, value_col = position(text, value_text, nth)
        self.assertEqual(line, vline)
        return line, (key_col, value_col)

    def test_the_head_alone_is_valid(self):
        self.write_catalog(self.HEAD)
        self.assertEqual(self.skus(), ["P-1"])

    def test_syntax_error(self):
        text = self.HEAD + self.product(sku='"P-2"', name='"便利贴" oops', category='"paper"',
                                        price='"5.00"')
        line, col = position(text, "oops")
        self.assertTemplateError(text, line, col)

    def test_missing_price(self):
        text = self.HEAD + self.product(sku='"P-2"', name='"便利贴"', category='"paper"')
        line, col = position(text, "[[product]]", 2)
        self.assertTemplateError(text, line, col, "price")

    def test_negative_price(self):
        text = self.HEAD + self.product(sku='"P-2"', name='"便利贴"', category='"paper"',
                                        price='"-5.00"')
        line, cols = self.key_or_value(text, 'price = "-5.00"', '"-5.00"')
        self.assertTemplateError(text, line, cols, "negative")

    def test_negative_discount(self):
        text = self.HEAD + self.product(sku='"P-2"', name='"便利贴"', category='"paper"',
                                        price='"5.00"',
                                        tiers="[\n  { min = 10, discount = -5 },\n]")
        line, cols = self.key_or_value(text, "discount = -5", "-5")
        self.assertTemplateError(text, line, cols, "negative")

    def test_tiers_out_of_order(self):
        text = self.HEAD + self.product(
            sku='"P-2"', name='"便利贴"', category='"paper"', price='"5.00"',
            tiers="[\n  { min = 50, discount = 8 },\n  { min = 10, discount = 5 },\n]")
        line, brace = position(text, "{ min = 10, discount = 5 },")
        _, value = position(text, "10, discount = 5 },")
        self.assertTemplateError(text, line, (brace, brace + 2, value), "order")

    def test_unknown_key_in_a_product(self):
        text = self.HEAD + self.product(sku='"P-2"', name='"便利贴"', colour='"黄色"',
                                        category='"paper"', price='"5.00"')
        line, col = position(text, "colour")
        self.assertTemplateError(text, line, col, "colour")

    def test_unknown_key_in_a_tier(self):
        text = self.HEAD + self.product(sku='"P-2"', name='"便利贴"', category='"paper"',
                                        price='"5.00"',
                                        tiers="[\n  { min = 10, percent = 5 },\n]")
        line, col = position(text, "percent")
        self.assertTemplateError(text, line, col, "percent")

    def test_unknown_key_at_top_level(self):
        text = self.HEAD.replace('currency = "CNY"\n', 'currency = "CNY"\nversion = 2\n')
        line, col = position(text, "version")
        self.assertEqual(line, 3)
        self.assertTemplateError(text, line, col, "version")

    def test_duplicate_sku(self):
        text = self.HEAD + self.product(sku='"P-2"', name='"便利贴"', category='"paper"',
                                        price='"5.00"') + \
            self.product(sku='"P-2"', name='"回形针"', category='"paper"', price='"3.00"')
        line, cols = self.key_or_value(text, 'sku = "P-2"', '"P-2"', 2)
        self.assertTemplateError(text, line, cols, "P-2")

    def test_duplicate_sku_differing_only_in_case(self):
        text = self.HEAD + self.product(sku='"p-1"', name='"便利贴"', category='"paper"',
                                        price='"5.00"')
        line, cols = self.key_or_value(text, 'sku = "p-1"', '"p-1"')
        self.assertTemplateError(text, line, cols)

    def test_unknown_category(self):
        text = self.HEAD + self.product(sku='"P-2"', name='"积木"', category='"toys"',
                                        price='"5.00"')
        line, cols = self.key_or_value(text, 'category = "toys"', '"toys"')
        self.assertTemplateError(text, line, cols, "toys")

    def test_invalid_utf8(self):
        before = self.HEAD + '\n[[product]]\nsku = "P-2"\nname = "便利'
        data = before.encode("utf-8") + b"\xff" + '贴"\ncategory = "paper"\nprice = "5.00"\n' \
            .encode("utf-8")
        line = before.count("\n") + 1
        col = len(before.rsplit("\n", 1)[1]) + 1
        self.assertEqual((line, col), (17, 11))
        self.assertTemplateError(data, line, col, "UTF-8")

    def test_file_over_one_mib(self):
        text = self.HEAD + ("# " + "价目表注释" * 30 + "\n") * 7500
        self.assertGreater(len(text.encode("utf-8")), 1 << 20)
        path = self.write_catalog(text)
        code, out, err = self.fb("visit", "catalog")
        self.assertEqual(code, 2, err)
        self.assertEqual(out, "")
        self.assertRegex(err, re.escape(path) + r":\d+:\d+: .*1 MiB")

    def test_errors_are_reported_for_every_format_and_option(self):
        text = self.HEAD + self.product(sku='"P-2"', name='"积木"', category='"toys"',
                                        price='"5.00"')
        path = self.write_catalog(text)
        line, _ = position(text, 'category = "toys"')
        for args in (["--format", "html"], ["--format", "csv"], ["--qty", "3"],
                     ["--search", "积木"]):
            code, out, err = self.fb("visit", "catalog", *args)
            self.assertEqual(code, 2, args)
            self.assertEqual(out, "", args)
            self.assertIn(f"{path}:{line}:", err, args)


class InitTemplatesCatalogTest(CatalogCase):

    def test_copied_catalog_reads_like_the_built_in_one_and_edits_apply(self):
        built_in = self.fb_ok("visit", "catalog", "--format", "csv")[0]
        self.fb_ok("init", "--templates")
        self.assertTrue(os.path.isfile(self.catalog_path()))
        self.assertEqual(self.fb_ok("visit", "catalog", "--format", "csv")[0], built_in)
        with open(self.catalog_path(), encoding="utf-8") as f:
            text = f.read()
        sku = self.products()[0]["sku"]
        start = text.index(f'sku = "{sku}"')
        at = text.index("price = ", start)
        end = text.index("\n", at)
        self.write_catalog(text[:at] + 'price = "999.00"' + text[end:])
        self.assertEqual(self.products("--search", sku)[0]["price"], Decimal("999.00"))


if __name__ == "__main__":
    unittest.main()
