"""The fault suite: many processes writing one store at once.

Each test starts real fieldbook processes in parallel (threads that each run a series of
commands), then reads the store back with Python's sqlite3 and checks that nothing was lost,
doubled or half-written, and that no process saw the store locked. Each prints one or two lines
on stderr saying what it tried and what held.

The team: li (a rep) owns the records, wang is the manager.
"""

import concurrent.futures
import re
import sys
import unittest

from fbtest import FieldbookTestCase


def report(line):
    print(f"fault: {line}", file=sys.stderr)


def run_parallel(workers, job):
    """job(worker) in `workers` threads at once; returns their results in worker order."""
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(job, range(workers)))


def locked(err):
    lowered = err.lower()
    return "database is locked" in lowered or "busy" in lowered


class ConcurrencyCase(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.init_store("wang", "王建林", role="manager")
        self.add_rep("li", "李娜")

    def at(self, second):
        """An environment whose clock reads 10:00 plus `second` seconds of the fixed day, so
        that each write leaves its own updated_at."""
        minutes, seconds = divmod(second, 60)
        return {"FIELDBOOK_NOW": f"2026-11-26T{10 + minutes // 60:02d}:{minutes % 60:02d}:"
                                 f"{seconds:02d}+08:00"}

    @staticmethod
    def utc(second):
        minutes, seconds = divmod(second, 60)
        return f"2026-11-26T{2 + minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}Z"


class VisitAddTest(ConcurrencyCase):
    WORKERS = 8
    PER_WORKER = 200
    OWN_CUSTOMERS = ["成都办公伙伴", "蓝海数据科技", "锦城律师事务所", "华西医疗器械"]

    def test_eight_processes_two_hundred_visits_each(self):
        def worker(w):
            results = []
            for i in range(self.PER_WORKER):
                # Half the workers share one customer, the others have one each.
                customer = "共享大楼公司" if w % 2 else self.OWN_CUSTOMERS[w // 2]
                code, out, err = self.fb("--as", "li", "visit", "add", customer, "--outcome",
                                         "contact", "--note", f"worker {w} visit {i}",
                                         timeout=300)
                results.append((w, i, code, err))
            return results

        results = [r for rs in run_parallel(self.WORKERS, worker) for r in rs]
        total = self.WORKERS * self.PER_WORKER
        failed = [r for r in results if r[2] != 0]
        self.assertEqual(failed[:3], [], f"{len(failed)} of {total} processes failed")
        self.assertEqual([r for r in results if locked(r[3])][:3], [],
                         "no process reports a locked or busy store")
        notes = sorted(n for (n,) in self.sql("SELECT note FROM visit WHERE deleted_at IS NULL"))
        self.assertEqual(len(notes), total)
        self.assertEqual(notes, sorted(f"worker {w} visit {i}" for w in range(self.WORKERS)
                                       for i in range(self.PER_WORKER)),
                         "every visit exactly once")
        customers = self.sql("SELECT name, (SELECT COUNT(*) FROM visit v WHERE v.customer_id = "
                             "c.id) FROM customer c")
        self.assertEqual(dict(customers)["共享大楼公司"], total // 2,
                         "racing processes never create the shared customer twice")
        self.assertEqual(len(customers), 1 + self.WORKERS // 2)
        self.fb_ok("db", "check")
        report(f"{self.WORKERS}x{self.PER_WORKER} concurrent visit add -> {len(notes)} visits, "
               f"all exit 0, no 'database is locked', one shared customer")


class VisitEditTest(ConcurrencyCase):
    EDITS = 20

    def setUp(self):
        super().setUp()
        self.fb_ok("--as", "li", "visit", "add", "蓝海数据科技", "--outcome", "contact")
        self.vid = self.sql("SELECT id FROM visit")[0][0]

    def edit(self, who, flag, value, second):
        return self.fb("--as", who, "visit", "edit", str(self.vid), flag, value,
                       env=self.at(second), timeout=300)

    def test_edits_of_different_fields_all_land(self):
        # Six processes, each correcting its own field of the same visit twenty times.
        fields = [("--note", "note"), ("--went-well", "went_well"), ("--improve", "improve"),
                  ("--tool-feedback", "tool_feedback"), ("--brands", "brands"),
                  ("--usage", "usage")]

        def worker(p):
            flag, _ = fields[p]
            who = "wang" if p % 2 else "li"   # the owner and the manager, both allowed
            codes = [self.edit(who, flag, f"{flag} 第{i}次", p * 100 + i) for i in
                     range(self.EDITS)]
            return [(code, err) for code, _, err in codes]

        results = [r for rs in run_parallel(len(fields), worker) for r in rs]
        self.assertEqual([r for r in results if r[0] != 0][:3], [], "every edit exits 0")
        self.assertEqual([r for r in results if locked(r[1])][:3], [])
        row = self.sql(f"SELECT {', '.join(c for _, c in fields)} FROM visit WHERE id = ?",
                       (self.vid,))[0]
        self.assertEqual(list(row), [f"{flag} 第{self.EDITS - 1}次" for flag, _ in fields],
                         "each process's last write of its field is there: no lost update")
        # What the visit learned reached its customer too, from the last write of each.
        brands, usage = self.sql("SELECT brands, usage FROM customer")[0]
        self.assertEqual((brands, usage), (f"--brands 第{self.EDITS - 1}次",
                                           f"--usage 第{self.EDITS - 1}次"))
        report(f"{len(fields)} processes x {self.EDITS} edits of different fields of one visit "
               f"-> every field holds its process's last write")

    def test_edits_of_the_same_field_leave_one_written_value(self):
        # Six processes overwrite the note at once; each write has its own clock second.
        writers = 6
        written = {}   # updated_at (UTC) -> the note that write put there

        def worker(p):
            out = []
            for i in range(self.EDITS):
                second = p * 100 + i + 1
                value = f"进程{p}第{i}次"
                code, _, err = self.edit("wang" if p % 2 else "li", "--note", value, second)
                out.append((code, err, self.utc(second), value))
            return out

        results = [r for rs in run_parallel(writers, worker) for r in rs]
        self.assertEqual([r for r in results if r[0] != 0][:3], [], "every edit exits 0")
        self.assertEqual([r for r in results if locked(r[1])][:3], [])
        for _, _, stamp, value in results:
            written[stamp] = value
        note, updated_at = self.sql("SELECT note, updated_at FROM visit WHERE id = ?",
                                    (self.vid,))[0]
        self.assertIn(note, written.values(), "the note is one of the values written")
        self.assertIn(updated_at, written, "updated_at is the instant of one of the writes")
        self.assertEqual(written[updated_at], note,
                         "the note and updated_at come from the same write")
        # The search index agrees with the row: the final note is found, an overwritten one not.
        found = self.json_rows("visit", "search", note)
        self.assertEqual([v["id"] for v in found], [self.vid])
        stale = next(v for v in written.values() if v != note)
        self.assertEqual(self.json_rows("visit", "search", stale), [])
        self.fb_ok("db", "check")
        report(f"{writers} processes x {self.EDITS} edits of one note -> '{note}' with the "
               f"updated_at of the write that made it; search agrees")


class OrderPayTest(ConcurrencyCase):
    WORKERS = 8
    PAYMENTS = 6

    def test_payments_never_exceed_the_order(self):
        self.fb_ok("--as", "li", "visit", "add", "锦程贸易", "--outcome", "order")
        self.fb_ok("--as", "li", "order", "add", "锦程贸易", "--amount", "1000", "--due", "+30d")
        oid = self.sql("SELECT id FROM orders")[0][0]
        # 48 payments of 25.00 to 32.00 (about 1,370.00 in all) against 1,000.00.
        attempts = {(p, i): 2500 + 100 * ((p + i) % 8) for p in range(self.WORKERS)
                    for i in range(self.PAYMENTS)}

        def worker(p):
            out = []
            for i in range(self.PAYMENTS):
                cents = attempts[(p, i)]
                code, _, err = self.fb("--as", "wang" if p % 2 else "li", "order", "pay",
                                       str(oid), "--amount", f"{cents // 100}.{cents % 100:02d}",
                                       "--note", f"p{p}-{i}", timeout=300)
                out.append((p, i, cents, code, err))
            return out

        results = [r for rs in run_parallel(self.WORKERS, worker) for r in rs]
        self.assertGreater(sum(attempts.values()), 100000, "the attempts exceed the order")
        accepted = [r for r in results if r[3] == 0]
        refused = [r for r in results if r[3] != 0]
        self.assertEqual([r for r in results if locked(r[4])][:3], [])
        for p, i, cents, code, err in refused:
            self.assertEqual(code, 2, err)
            said = re.search(r"--amount: ([0-9.]+) is more than the ([0-9.]+) outstanding on "
                             r"order #", err)
            self.assertIsNotNone(said, f"the refusal is the overpayment message: {err}")
            self.assertLess(round(float(said.group(2)) * 100), cents,
                            "refused only when more than the balance at that moment")
        rows = self.sql("SELECT note, amount_cents FROM payment WHERE order_id = ?", (oid,))
        self.assertEqual(sorted(rows), sorted((f"p{p}-{i}", c) for p, i, c, _, _ in accepted),
                         "exactly the accepted payments were written; the refused wrote nothing")
        paid = sum(c for _, c in rows)
        self.assertLessEqual(paid, 100000, "the payments never exceed the order's total")
        self.assertTrue(refused, "some payments did not fit")
        shown = self.json_rows("order", "show", str(oid))[0]
        self.assertEqual(round(float(shown["outstanding"]) * 100), 100000 - paid)
        report(f"{self.WORKERS}x{self.PAYMENTS} concurrent order pay on one 1000.00 order -> "
               f"{len(accepted)} accepted ({paid / 100:.2f}), {len(refused)} refused with the "
               f"overpay message, nothing more written")


if __name__ == "__main__":
    unittest.main()
