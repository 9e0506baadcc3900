"""Twenty laptops pushing a day's visits to one team server at once: every visit lands
once, and no laptop sees a lock error (the server's writers take turns, a batch at a time).

Runs on a database of the test cluster (see test_server.py for how it is found)."""

import os
import subprocess
import unittest

from fbtest import BIN
from test_sync import DAY, SyncTestCase


class SyncLoadTest(SyncTestCase):
    REPS = 20
    VISITS_EACH = 200

    def test_twenty_laptops_pushing_at_once_lose_nothing(self):
        owner = {"FIELDBOOK_DB": self.server_url(self.owner)}
        handles = [f"r{i:02}_{self.owner[6:]}"[:60] for i in range(self.REPS)]
        self.roles.update({h: h for h in handles})
        for handle in handles:
            self.fb_ok("server", "add-rep", handle, "--name", f"代表{handle[1:3]}", env=owner)
        laptops = []
        for handle in handles:
            env = self.laptop(handle, handle)
            path = os.path.join(self.tmp, f"{handle}.csv")
            with open(path, "w", encoding="utf-8") as f:
                f.write("客户,日期,结果,备注\n")
                for door in range(self.VISITS_EACH):
                    f.write(f"{handle}的{door:03}号,{DAY},contact,第{door}家\n")
            self.fb_ok("import", "visits", path, "--new", env=env)
            laptops.append((handle, env))
        procs = [(handle, subprocess.Popen(
            [BIN, "sync", "--to", self.server_url(handle)], env=self.make_env(env),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
            for handle, env in laptops]
        for handle, proc in procs:
            out, err = proc.communicate(timeout=600)
            self.assertEqual(proc.returncode, 0, f"{handle}: {err}")
            self.assertNotIn("locked", err)
        counts = self.on_server(
            "SELECT r.handle, COUNT(v.id), COUNT(DISTINCT v.uuid) FROM rep r "
            "JOIN visit v ON v.rep_id = r.id GROUP BY r.handle ORDER BY r.handle")
        self.assertEqual([line.split("|") for line in counts.splitlines()],
                         [[h, str(self.VISITS_EACH), str(self.VISITS_EACH)] for h in handles])


if __name__ == "__main__":
    unittest.main()
