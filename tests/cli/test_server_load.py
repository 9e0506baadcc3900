"""Many reps writing to one team server at once: every write lands exactly once, and no one
sees a lock error (writers wait for each other on the server as on the embedded store).

Runs on a database of the test cluster (see test_server.py for how it is found)."""

import os
import unittest
from concurrent.futures import ThreadPoolExecutor

from fbtest import FieldbookTestCase
from test_server import cluster_url, run_psql, with_database

REPS = 20
VISITS_EACH = 20


class ServerLoadTest(FieldbookTestCase):
    def setUp(self):
        super().setUp()
        self.url = cluster_url()
        suffix = f"{os.getpid()}"
        self.name = f"fb_load_{suffix}"
        self.owner = f"owner_{suffix}"
        self.reps = [f"rep{i:02}_{suffix}" for i in range(REPS)]
        self.psql(self.url, f"CREATE ROLE {self.owner} LOGIN CREATEROLE",
                  f"CREATE DATABASE {self.name} OWNER {self.owner}")
        self.addCleanup(self.drop_roles)
        self.addCleanup(self.psql, self.url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def drop_roles(self):
        for role in self.reps + [self.owner]:
            self.psql(self.url, f"DROP ROLE IF EXISTS {role}")

    def psql(self, url, *statements):
        return run_psql(url, *statements, env=self.make_env())

    def as_role(self, role):
        return {"FIELDBOOK_DB": with_database(self.url, self.name).replace(
            "postgres@", f"{role}@", 1)}

    def test_twenty_reps_writing_at_once_lose_nothing(self):
        owner = self.as_role(self.owner)
        self.fb_ok("server", "init", "--timezone", "Asia/Shanghai", env=owner)
        for handle in self.reps:
            self.fb_ok("server", "add-rep", handle, "--name", f"代表{handle[3:5]}", env=owner)

        def sweep(handle):
            """One rep's floor: VISITS_EACH doors, each its own command (a process)."""
            failures = []
            for door in range(VISITS_EACH):
                code, _, err = self.fb("visit", "add", f"{handle}的{door:02}号客户", "--new", "--outcome",
                                       "contact", "--note", f"第{door}家", "--at", "09:00",
                                       "--no-input", env=self.as_role(handle), timeout=120)
                if code != 0:
                    failures.append(err)
            return failures

        with ThreadPoolExecutor(max_workers=REPS) as pool:
            failures = [f for result in pool.map(sweep, self.reps) for f in result]
        self.assertEqual(failures, [])

        counts = self.psql(
            with_database(self.url, self.name),
            "SELECT r.handle, COUNT(v.id), COUNT(DISTINCT v.uuid) FROM rep r "
            "LEFT JOIN visit v ON v.rep_id = r.id GROUP BY r.handle ORDER BY r.handle")
        rows = [line.split("|") for line in counts.splitlines()]
        self.assertEqual(rows, [[h, str(VISITS_EACH), str(VISITS_EACH)] for h in self.reps])
        # Each rep reads their own floor and no one else's.
        out, _ = self.fb_ok("visit", "list", "--format", "csv", env=self.as_role(self.reps[0]))
        self.assertEqual(len(out.splitlines()), 1 + VISITS_EACH)
        # Ids are one sequence without gaps, as on the embedded store.
        ids = self.psql(with_database(self.url, self.name),
                        "SELECT MIN(id), MAX(id), COUNT(*) FROM visit")
        self.assertEqual(ids.strip(), f"1|{REPS * VISITS_EACH}|{REPS * VISITS_EACH}")


if __name__ == "__main__":
    unittest.main()
