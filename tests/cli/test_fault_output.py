"""Fault suite: `--output` under kill -9.

An export of a large listing (a store made by `fieldbook demo --visits 20000`) is killed with
SIGKILL at random points, from start-up to the commit. After each kill the target must be the old
file or the complete new one, never a part, and the directory must hold nothing else: the
temporary has no name until the export commits, so no `.NAME.XXXXXX` is left behind. A temporary
left by a process that died the way older versions and file systems without O_TMPFILE leave one
(named .NAME.HOST.PID.XXXXXX) is removed by the next export to that file.
"""

import os
import random
import signal
import socket
import subprocess
import sys
import time

from fbtest import BIN, FieldbookTestCase

KILLS = 6


class KilledExportTest(FieldbookTestCase):

    def setUp(self):
        super().setUp()
        self.out_dir = os.path.join(self.tmp, "out")
        os.mkdir(self.out_dir)
        self.target = os.path.join(self.out_dir, "visits.csv")

    def export(self):
        return subprocess.Popen([BIN, "visit", "list", "--format", "csv", "--output", self.target],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=self.make_env(), cwd=self.tmp)

    def written(self, pid):
        """Bytes in the export's temporary so far (read through /proc), None before it has one."""
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                path = f"/proc/{pid}/fd/{fd}"
                if os.readlink(path).startswith(self.out_dir + os.sep):
                    return os.stat(path).st_size
        except OSError:
            pass
        return None

    def test_kill_9_leaves_the_old_or_the_complete_file_and_no_temporary(self):
        self.fb_ok("demo", "--visits", "20000", timeout=600)
        # The complete export, and how long one takes on this machine (and build).
        started = time.monotonic()
        proc = self.export()
        _, err = proc.communicate(timeout=600)
        duration = time.monotonic() - started
        self.assertEqual(proc.returncode, 0, err)
        with open(self.target, "rb") as f:
            complete = f.read()
        self.assertGreater(complete.count(b"\r\n"), 20000)

        rng = random.Random(os.environ.get("FIELDBOOK_FAULT_SEED") or None)
        outcomes = {"old": 0, "new": 0}
        mid_write = []
        for kill in range(KILLS):
            old = f"old export {kill}\n".encode()
            with open(self.target, "wb") as f:
                f.write(old)
            # One point in each of KILLS equal slices of the run: start-up, the query, the
            # writing and the commit all get their turn.
            delay = rng.uniform(kill, kill + 1) * duration / KILLS
            proc = self.export()
            time.sleep(delay)
            so_far = self.written(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
            with open(self.target, "rb") as f:
                now = f.read()
            where = f"kill {kill + 1} at {delay:.3f} s of {duration:.3f} s (exit {proc.returncode})"
            self.assertIn(now, (old, complete), f"{where}: a partial file")
            self.assertEqual(os.listdir(self.out_dir), ["visits.csv"], f"{where}: left behind")
            outcomes["old" if now == old else "new"] += 1
            if so_far and so_far < len(complete):
                mid_write.append(so_far)
        # The case that matters most: killed with part of the data written.
        self.assertTrue(mid_write, "no kill landed while the export was writing")
        print(f"fault: kill -9 at {KILLS} random points of a {len(complete)}-byte --output "
              f"export ({duration:.2f} s), {len(mid_write)} of them mid-write "
              f"({', '.join(str(n) for n in mid_write)} bytes written) -> {outcomes['old']} old "
              f"file, {outcomes['new']} complete new file, no partial file, no temporary",
              file=sys.stderr)

    def test_temporary_of_a_dead_process_is_removed_by_the_next_export(self):
        self.init_store()
        dead = subprocess.Popen(["true"])
        dead.wait()
        host = socket.gethostname()
        abandoned = os.path.join(self.out_dir, f".visits.csv.{host}.{dead.pid}.a1B2c3")
        with open(abandoned, "wb") as f:
            f.write(b"half an export")
        # One of a process still running (this one) is somebody's export in progress.
        running = os.path.join(self.out_dir, f".visits.csv.{host}.{os.getpid()}.d4E5f6")
        with open(running, "wb") as f:
            f.write(b"an export in progress")
        self.fb_ok("visit", "list", "--format", "csv", "--output", self.target)
        self.assertEqual(sorted(os.listdir(self.out_dir)),
                         sorted(["visits.csv", os.path.basename(running)]))
        print(f"fault: a temporary of dead pid {dead.pid} -> removed by the next --output export; "
              f"one of a live pid kept", file=sys.stderr)
