"""The cycle check itself: it passes an acyclic tree and fails, naming the cycle, on a cyclic one."""
import pathlib
import subprocess
import sys
import tempfile
import unittest

CHECK = pathlib.Path(__file__).with_name("check_cycles.py")


def run(files):
    with tempfile.TemporaryDirectory() as lib:
        for name, text in files.items():
            path = pathlib.Path(lib, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return subprocess.run([sys.executable, CHECK, lib], capture_output=True, text=True)


class CheckCycles(unittest.TestCase):
    def test_a_tree_without_cycle_passes(self):
        done = run({
            "domain/visits.hpp": '#include "domain/customers.hpp"\n',
            "domain/visits.cpp": '#include "domain/visits.hpp"\n#include "domain/followups.hpp"\n',
            "domain/followups.cpp": '#include "domain/followups.hpp"\n',
            "domain/customers.hpp": "",
            "domain/workflows/log_visit.cpp":
                '#include "domain/visits.hpp"\n#include "domain/followups.hpp"\n',
        })
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("no include cycle: 4 modules", done.stdout)

    def test_a_source_including_back_a_header_that_includes_it_fails(self):
        # visits.cpp -> followups.hpp and followups.cpp -> visits.hpp: no file includes itself,
        # yet the two modules need each other.
        done = run({
            "domain/visits.hpp": "",
            "domain/visits.cpp": '#include "domain/visits.hpp"\n#include "domain/followups.hpp"\n',
            "domain/followups.hpp": "",
            "domain/followups.cpp": '#include "domain/followups.hpp"\n#include "domain/visits.hpp"\n',
        })
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("include cycle: domain/followups -> domain/visits -> domain/followups",
                      done.stdout)

    def test_a_longer_cycle_through_a_subdirectory_is_named_in_full(self):
        done = run({
            "domain/orders.cpp": '#  include "domain/workflows/place_order.hpp"\n',
            "domain/workflows/place_order.cpp": '#include "domain/followups.hpp"\n',
            "domain/followups.cpp": '#include "domain/orders.hpp"\n#include <vector>\n',
            "domain/money.hpp": "",
        })
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("include cycle: domain/followups -> domain/orders -> "
                      "domain/workflows/place_order -> domain/followups", done.stdout)

    def test_a_directory_without_domain_is_a_usage_error(self):
        done = run({"other/x.hpp": ""})
        self.assertEqual(done.returncode, 2)


if __name__ == "__main__":
    unittest.main()
