"""The team server's engine (PostgreSQL) against the embedded one (SQLite): the same commands,
run on a store file and on a fresh database of the test cluster (tests/pg/cluster, started by
ctest's pg_cluster fixture), print the same output, byte for byte, and exit the same.

The cluster's URL is read from the file named by FIELDBOOK_TEST_PG_URL_FILE; without it the
tests fail rather than skip, so a run that cannot reach a server never passes as tested."""

import itertools
import os
import re
import subprocess
import unittest

from fbtest import FieldbookTestCase

_databases = itertools.count(1)

# UUIDv7s carry random bits: the one difference two runs of the same commands may show.
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")


def cluster_url():
    path = os.environ.get("FIELDBOOK_TEST_PG_URL_FILE", "")
    if not path or not os.path.exists(path):
        raise AssertionError(
            f"no PostgreSQL test cluster: FIELDBOOK_TEST_PG_URL_FILE={path!r} (run through ctest)")
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def run_psql(url, *statements, env=None):
    """Runs the statements with psql, stopping at the first error; its output, unaligned."""
    args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", url]
    for sql in statements:
        args += ["-c", sql]
    return subprocess.run(args, check=True, capture_output=True, text=True, env=env).stdout


def with_database(url, name):
    """The cluster URL with its database replaced by `name` (postgresql:///DB?host=...)."""
    head, _, query = url.partition("?")
    scheme, _, rest = head.partition("://")
    authority = rest.split("/", 1)[0]
    return f"{scheme}://{authority}/{name}" + (f"?{query}" if query else "")


# A rep's day, the team, the meeting, orders and money, reports and exports: what the README's
# tour does, on both engines.
SCENARIO = [
    ("init", "--me", "zhangwei", "--name", "张伟", "--timezone", "Asia/Shanghai"),
    ("rep", "add", "lina", "--name", "李娜", "--phone", "13800001234"),
    ("rep", "add", "liujianguo", "--name", "刘建国", "--role", "manager"),
    ("--as", "liujianguo", "rep", "add", "zhouhong", "--name", "周红", "--role", "leader"),
    ("visit", "add", "蓝海数据科技有限公司", "--building", "天府软件园B座", "--floor", "12",
     "--room", "1203", "--contact", "王芳", "--role", "gatekeeper", "--outcome", "contact",
     "--note", "前台收下目录，说行政周三在", "--at", "08:40", "--next", "+7d", "--no-input"),
    ("visit", "add", "锦程贸易有限公司", "--building", "天府软件园B座", "--floor", "15",
     "--room", "1502", "--outcome", "interest", "--headcount", "60", "--brands", "得力,晨光",
     "--note", "问了硒鼓价格", "--at", "08:50", "--no-input"),
    ("visit", "add", "Office伙伴", "--building", "天府软件园B座", "--floor", "15", "--room",
     "1508", "--outcome", "refused", "--at", "09:00", "--no-input"),
    ("--as", "lina", "visit", "add", "星河教育", "--building", "天府软件园B座", "--floor", "16",
     "--room", "1601", "--outcome", "absent", "--at", "09:10", "--no-input"),
    ("visit", "add", "ＯＦＦＩＣＥ伙伴", "--contact", "赵磊", "--role", "gatekeeper", "--phone",
     "13688886666", "--card", "--outcome", "contact", "--at", "09:20", "--no-input"),
    ("visit", "add", "锦程贸易有限公司", "--contact", "刘洋", "--role", "purchaser", "--outcome",
     "intent", "--note", "要A4纸和硒鼓的报价", "--at", "09:30", "--no-input"),
    ("visit", "list", "--on", "today"),
    ("visit", "list", "--on", "today", "--format", "csv"),
    ("visit", "list", "--customer", "锦程", "--format", "json"),
    ("visit", "search", "硒鼓"),
    ("visit", "search", "硒"),
    ("visit", "search", "office"),
    ("visit", "search", "%"),
    ("visit", "show", "2"),
    ("visit", "edit", "2", "--headcount", "65", "--tool-feedback", "目录里硒鼓型号不全"),
    ("visit", "add", "成都云帆律师事务所", "--outcome", "refused", "--at", "09:50", "--no-input"),
    ("visit", "delete", "7"),
    ("log", "--record", "visit:7"),
    ("undo", "--dry-run"),
    ("undo",),
    ("visit", "list"),
    ("customer", "list"),
    ("customer", "list", "--format", "csv"),
    ("customer", "show", "锦程"),
    ("customer", "show", "锦程", "--history"),
    ("followup", "due", "--on", "+7d"),
    ("order", "add", "锦程", "--amount", "3,280.50", "--cost", "2500", "--prepaid", "1000",
     "--due", "+30d"),
    ("--as", "lina", "order", "add", "星河", "--amount", "￥８６０", "--cost", "600"),
    ("order", "pay", "1", "--amount", "1000", "--note", "银行转账"),
    ("order", "list", "--open"),
    ("order", "show", "1"),
    ("order", "show", "1", "--format", "json"),
    ("order", "add", "锦程", "--items", "PA-A4-70:10", "--on", "-20d"),
    ("order", "add", "锦程", "--items", "PA-A4-70:12", "--on", "-10d"),
    ("report", "reorders"),
    ("followup", "due"),
    ("report", "payments"),
    ("--as", "lina", "order", "cancel", "2", "--reason", "客户退货"),
    ("order", "list"),
    ("rank", "customers", "--by", "profit"),
    ("meeting", "note", "--kind", "self-review", "锦程问硒鼓价格时没带样品"),
    ("--as", "lina", "meeting", "note", "--kind", "idea", "先问内线采购归哪个部门"),
    ("--as", "liujianguo", "meeting", "plan", "--rep", "zhangwei", "--visits", "8", "--goal",
     "天府软件园B座16-20层"),
    ("--as", "liujianguo", "meeting", "report"),
    ("--as", "liujianguo", "meeting", "report", "--format", "json"),
    ("--as", "liujianguo", "meeting", "close"),
    ("--as", "zhouhong", "meeting", "approve", "--comment", "已阅"),
    ("meeting", "show"),
    ("meeting", "list"),
    ("rank", "customers"),
    ("report", "funnel"),
    ("report", "receivables"),
    ("report", "reps", "--format", "csv"),
    # The negotiation brief and the unmet needs; a name one character off a long one.
    ("customer", "prep", "锦程", "--concerns", "价格偏高", "--unmet-needs", "碎纸机×20；定制信封"),
    ("--as", "liujianguo", "customer", "prep", "锦程", "--guidance", "先报九五折"),
    ("customer", "prep", "蓝海", "--unmet-needs", "碎纸机 x5"),
    ("customer", "prep", "锦程", "--format", "md"),
    ("report", "needs"),
    ("customer", "add", "蓝海数椐科技有限公司", "--new"),
    ("log",),
    # A customer's story; a visit moved to another customer; a customer entered twice, merged.
    ("customer", "show", "锦程", "--all", "--history"),
    ("customer", "show", "锦程", "--format", "json"),
    ("visit", "edit", "2", "--customer", "Office伙伴"),
    ("visit", "edit", "2", "--customer", "锦程"),
    ("customer", "add", "锦程商贸", "--new", "--industry", "贸易"),
    ("visit", "add", "锦程商贸", "--contact", "刘洋", "--phone", "13900001111", "--outcome",
     "contact", "--no-input"),
    ("customer", "merge", "锦程商贸", "锦程贸易有限公司"),
    ("customer", "show", "锦程商贸", "--format", "json", "--history"),
]

# Refusals, which must read the same too.
REFUSED = [
    ("visit", "add", "蓝海数据科技有限公司", "--outcome", "nonsense", "--no-input"),
    ("customer", "show", "不存在的公司"),
    ("visit", "edit", "999", "--note", "无"),
    ("customer", "merge", "7", "锦程贸易有限公司"),  # 锦程商贸, merged already
    ("customer", "merge", "锦程贸易有限公司", "2"),
    ("customer", "add", "成都云帆律帅事务所"),
    ("customer", "prep", "锦程", "--guidance", "九折"),
]


class ServerEngineTest(FieldbookTestCase):
    def setUp(self):
        super().setUp()
        self.url = cluster_url()
        name = f"fb_cli_{os.getpid()}_{next(_databases)}"
        self.psql("CREATE DATABASE " + name)
        self.addCleanup(self.psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.server = with_database(self.url, name)

    def psql(self, sql):
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.url, "-c", sql],
                       check=True, capture_output=True, env=self.make_env())

    def run_on(self, location, argv):
        code, out, err = self.fb(*argv, env={"FIELDBOOK_DB": location})
        return code, UUID.sub("UUID", out), UUID.sub("UUID", err.replace(location, "STORE"))

    def test_the_same_output_on_both_engines(self):
        for argv in SCENARIO + REFUSED:
            with self.subTest(argv=" ".join(argv)):
                embedded = self.run_on(self.db, argv)
                server = self.run_on(self.server, argv)
                self.assertEqual(server, embedded)
                # The scenario does what it says (so that it compares work, not error messages).
                self.assertEqual(embedded[0] != 0, argv in REFUSED, embedded[2])

    def test_a_database_without_a_store_is_refused_until_init(self):
        code, _, err = self.fb("visit", "list", env={"FIELDBOOK_DB": self.server})
        self.assertEqual(code, 1)
        self.assertIn("holds no fieldbook store", err)
        self.fb_ok("init", "--me", "zhangwei", "--name", "张伟",
                   env={"FIELDBOOK_DB": self.server})
        out, _ = self.fb_ok("visit", "list", "--format", "csv", env={"FIELDBOOK_DB": self.server})
        self.assertEqual(out.splitlines()[1:], [])


if __name__ == "__main__":
    unittest.main()
