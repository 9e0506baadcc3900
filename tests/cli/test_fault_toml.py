"""Fault suite: hostile TOML files as the config and as the two templates.

Every file in tests/hostile/toml/ has an entry in its manifest.json (and every entry a file, or a
recipe that makes one at test time, for the big ones): what it is, and for each way it is read the
exit code and a regular expression that standard error must contain. The ways:

- config: `fieldbook --config FILE visit script` (the config gives the speaking rates);
- config-default: the same file as $XDG_CONFIG_HOME/fieldbook/config.toml;
- scripts: as $XDG_CONFIG_HOME/fieldbook/scripts.toml, read by `visit script`;
- catalog: as $XDG_CONFIG_HOME/fieldbook/catalog.toml, read by `visit catalog`.

None of them needs a store. Whatever the file, fieldbook must exit with the code expected, never
by a signal, print nothing on standard output when it refuses, and no sanitizer report.
"""

import json
import os
import re
import shutil
import sys

from fbtest import FieldbookTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "hostile", "toml"))
ROLES = ("config", "config-default", "scripts", "catalog")


def load_manifest():
    with open(os.path.join(CORPUS, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)["cases"]


def content(case):
    make = case.get("make")
    if make is None:
        with open(os.path.join(CORPUS, case["file"]), "rb") as f:
            return f.read()
    if "repeat_numbered" in make:
        middle = "".join(make["repeat_numbered"].replace("{n}", str(n))
                         for n in range(1, make["times"] + 1))
    else:
        middle = make["repeat"] * make["times"]
    return (make["start"] + middle + make["end"]).encode("utf-8")


class HostileTomlTest(FieldbookTestCase):

    def test_manifest_and_files_agree(self):
        cases = load_manifest()
        names = [c["file"] for c in cases]
        self.assertEqual(len(names), len(set(names)), "a file listed twice")
        on_disk = set(os.listdir(CORPUS)) - {"manifest.json"}
        committed = {c["file"] for c in cases if "make" not in c}
        self.assertEqual(on_disk, committed, "files and manifest entries differ")
        for c in cases:
            self.assertTrue(c["what"], c["file"])
            self.assertTrue(c["expect"], c["file"])
            self.assertLessEqual(set(c["expect"]), set(ROLES), c["file"])
        self.assertGreaterEqual(len(cases), 40)

    def run_as(self, role, data):
        """Puts `data` where `role` reads it; returns (path, (code, out, err))."""
        own = os.path.join(self.config_home, "fieldbook")
        shutil.rmtree(self.config_home, ignore_errors=True)
        os.makedirs(own)
        if role == "config":
            path = os.path.join(self.tmp, "named", "fieldbook.toml")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            args = ["--config", path, "visit", "script"]
        else:
            name = {"config-default": "config.toml", "scripts": "scripts.toml",
                    "catalog": "catalog.toml"}[role]
            path = os.path.join(own, name)
            args = ["visit", "catalog" if role == "catalog" else "script"]
        with open(path, "wb") as f:
            f.write(data)
        code, out, err = self.fb_bytes(*args, timeout=120)
        return path, (code, out, err.decode("utf-8", errors="replace"))

    @staticmethod
    def problem(path, expected_code, pattern, code, out, err):
        """What is wrong with one run, or None."""
        if code < 0:
            return f"killed by signal {-code}\n{err[-2000:]}"
        if re.search(r"Sanitizer|runtime error", err):
            return f"sanitizer report\n{err[-2000:]}"
        if code != expected_code:
            return f"exit {code}, expected {expected_code}\n{err[-2000:]}"
        regex = re.escape(path).join(pattern.split("{path}"))
        if not re.search(regex, err, re.MULTILINE):
            return f"standard error does not match {regex!r}:\n{err[-2000:]}"
        if code != 0 and out:
            return "printed data while refusing"
        if code == 0 and not out.strip():
            return "printed nothing"
        return None

    def test_each_file_is_refused_or_read_as_its_manifest_says(self):
        cases = load_manifest()
        runs, problems = 0, []
        for case in cases:
            data = content(case)
            for role, (expected_code, pattern) in sorted(case["expect"].items()):
                path, (code, out, err) = self.run_as(role, data)
                runs += 1
                problem = self.problem(path, expected_code, pattern, code, out, err)
                if problem:
                    problems.append(f"{case['file']} as {role} ({case['what']}): {problem}")
        self.assertEqual(problems, [], "\n\n".join(problems))
        print(f"fault: TOML corpus: {len(cases)} cases ({runs} runs as config, scripts and "
              f"catalog), all held", file=sys.stderr)

    def test_a_device_that_never_ends_is_refused_not_read_forever(self):
        # Before the bounded read, --config /dev/zero read until memory ran out.
        code, out, err = self.fb("--config", "/dev/zero", "visit", "script", timeout=60)
        self.assertEqual((code, out), (2, ""), err)
        self.assertEqual(err, "fieldbook: error: /dev/zero:1:1: file is larger than 1 MiB\n")
        directory = os.path.join(self.tmp, "a-directory")
        os.mkdir(directory)
        code, out, err = self.fb("--config", directory, "visit", "script")
        self.assertEqual((code, out), (1, ""), err)
        self.assertEqual(err, f"fieldbook: error: cannot read {directory}: Is a directory\n")
        print("fault: --config /dev/zero -> exit 2 at 1 MiB; a directory -> exit 1",
              file=sys.stderr)
