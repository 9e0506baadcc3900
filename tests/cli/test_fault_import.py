"""kill -9 in the middle of a large import: the store (in WAL mode) passes `db check`, holds
either none or all of the file's rows (an import is one transaction), and importing the file
again afterwards adds exactly its rows.

The import is timed once on a copy of the store; the kills then land at random moments of
that span, one of them near its end, where the transaction commits. The seed is printed so a
failure can be replayed (FIELDBOOK_FAULT_SEED).
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import unittest

from fbtest import BIN, FieldbookTestCase

ROWS = 10000       # an import of seconds: room for the kills to land inside it
CUSTOMERS = 1000   # ten visits each
KILLS = 5


class ImportKillTest(FieldbookTestCase):

    def write_file(self):
        """ROWS visits of the past month by two reps, with the customers they create."""
        outcomes = ["refused", "absent", "contact", "interest", "intent"]
        rows = []
        path = os.path.join(self.tmp, "big.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("customer,date,time,rep,outcome,note\n")
            for i in range(ROWS):
                customer = f"客户{i % CUSTOMERS:04d}"
                day = f"2026-11-{1 + i % 25:02d}"
                clock = f"{8 + i % 10:02d}:{i % 60:02d}"
                rep = "lina" if i % 3 else "zhangwei"
                outcome = outcomes[i % len(outcomes)]
                note = f"第{i}次 拜访"
                f.write(f"{customer},{day},{clock},{rep},{outcome},{note}\n")
                rows.append((customer, day, clock, rep, outcome, note))
        return path, rows

    def counts(self):
        return (self.sql("SELECT COUNT(*) FROM visit")[0][0],
                self.sql("SELECT COUNT(*) FROM customer")[0][0])

    def import_process(self, path, db=None):
        env = self.make_env({"FIELDBOOK_DB": db} if db else None)
        return subprocess.Popen([BIN, "import", "visits", path, "--new"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                cwd=self.tmp)

    def test_kill_9_at_random_points_keeps_an_import_all_or_nothing(self):
        seed = int(os.environ.get("FIELDBOOK_FAULT_SEED", time.time_ns() % 1_000_000))
        rng = random.Random(seed)
        self.init_store("zhangwei", "张伟")
        self.add_rep("lina", "李娜")
        self.add_visit("蓝海数据科技", "--at", "2026-11-20 10:00")
        self.add_visit("红星商贸", "--at", "2026-11-21 11:00", outcome="interest")
        self.assertEqual(self.sql("PRAGMA journal_mode"), [("wal",)])
        path, rows = self.write_file()
        before = self.counts()
        pristine = os.path.join(self.tmp, "pristine.db")
        shutil.copyfile(self.db, pristine)

        # How long the whole import takes here, on a copy.
        scratch = os.path.join(self.tmp, "scratch.db")
        shutil.copyfile(self.db, scratch)
        start = time.monotonic()
        proc = self.import_process(path, scratch)
        out, err = proc.communicate(timeout=600)
        span = time.monotonic() - start
        self.assertEqual(proc.returncode, 0, err.decode())

        moments = sorted(rng.uniform(0.05, 0.9) * span for _ in range(KILLS - 1))
        moments.append(rng.uniform(0.93, 1.02) * span)   # where the transaction commits
        outcomes = []
        for moment in moments:
            proc = self.import_process(path)
            time.sleep(moment)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=600)
            code, out, err = self.fb("db", "check")
            self.assertEqual(code, 0, f"db check after kill -9 at {moment:.2f} s: {err}{out}")
            after = self.counts()
            all_in = (before[0] + ROWS, before[1] + CUSTOMERS)
            self.assertIn(after, (before, all_in),
                          f"kill -9 at {moment:.2f} s (seed {seed}) left part of the import")
            outcomes.append("none" if after == before else "all")
            if after != before:
                # It finished before the kill: start the next one from the same store.
                for suffix in ("-wal", "-shm"):
                    if os.path.exists(self.db + suffix):
                        os.remove(self.db + suffix)
                shutil.copyfile(pristine, self.db)

        err = self.fb_ok("import", "visits", "big.csv", "--new")[1]
        self.assertEqual(err, f"imported big.csv: {ROWS} new visits ({CUSTOMERS} new customers), "
                              "0 already present\n")
        self.assertEqual(self.counts(), (before[0] + ROWS, before[1] + CUSTOMERS))
        stored = self.sql(
            "SELECT c.name, v.day, strftime('%H:%M', v.at_utc, '+8 hours'), r.handle, "
            "v.outcome, v.note FROM visit v JOIN customer c ON c.id = v.customer_id "
            "JOIN rep r ON r.id = v.rep_id WHERE v.note LIKE '第%'")
        self.assertEqual(sorted(stored), sorted(rows))
        print(f"fault: kill -9 of a {ROWS}-row import ({span:.1f} s) at "
              f"{', '.join(f'{m:.2f}' for m in moments)} s (seed {seed}) -> db check ok, "
              f"each {'/'.join(outcomes)}; rerun added exactly {ROWS}", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
