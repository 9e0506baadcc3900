"""Stores made by earlier fieldbook releases (tests/data/stores/vN.db, see the README there)
upgraded to the current schema: every row kept, old visits found by search, the copy made
before upgrading (STORE.vN.bak) intact and usable."""

import os
import shutil
import sqlite3
import stat
import sys
import unicodedata

from fbtest import FieldbookTestCase

STORES = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                       "..", "data", "stores"))

# One-, two- and three-or-more-character terms, each in the fixtures' visits, plus a term only
# a deleted visit holds.
TERMS = ["纸", "硒鼓", "报价单", "天府软件园", "王芳", "废纸篓"]


def key(text):
    return unicodedata.normalize("NFKC", text).casefold()


def row_counts(path):
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'visit_search%'")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def expected_matches(path, term):
    """Live visits whose searchable text holds the term, read from the old store's rows."""
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        rows = con.execute("""
            SELECT v.id, c.name, ct.name, ct.title, b.name, v.note, v.went_well, v.improve,
                   v.tool_feedback, v.brands, v.usage, v.office_size, v.script
            FROM visit v JOIN customer c ON c.id = v.customer_id
            LEFT JOIN contact ct ON ct.id = v.contact_id
            LEFT JOIN building b ON b.id = c.building_id
            WHERE v.deleted_at IS NULL""").fetchall()
    finally:
        con.close()
    return {r[0] for r in rows if any(f is not None and key(term) in key(f) for f in r[1:])}


class MigrationTest(FieldbookTestCase):

    def latest_version(self):
        fresh = os.path.join(self.tmp, "fresh.db")
        self.fb_ok("init", env={"FIELDBOOK_DB": fresh})
        return self.sql("PRAGMA user_version", path=fresh)[0][0]

    def upgrade(self, version):
        fixture = os.path.join(STORES, f"v{version}.db")
        self.assertTrue(os.path.isfile(fixture), f"fixture {fixture} is missing")
        shutil.copyfile(fixture, self.db)
        os.chmod(self.db, 0o600)
        pristine = os.path.join(self.tmp, f"pristine-v{version}.db")
        shutil.copyfile(fixture, pristine)
        self.assertEqual(self.sql("PRAGMA user_version", path=pristine)[0][0], version)
        before = row_counts(pristine)
        latest = self.latest_version()
        self.assertGreater(latest, version)

        # The first command opening the store upgrades it.
        visits = self.json_rows("visit", "list")
        self.assertEqual(self.sql("PRAGMA user_version")[0][0], latest)
        after = row_counts(self.db)
        for table, count in before.items():
            self.assertEqual(after[table], count, f"v{version}: rows of {table}")
        live = self.sql("SELECT count(*) FROM visit WHERE deleted_at IS NULL")[0][0]
        self.assertEqual(len(visits), live)

        found = {}
        for term in TERMS:
            expected = expected_matches(pristine, term)
            got = {r["id"] for r in self.json_rows("visit", "search", term)}
            self.assertEqual(got, expected, f"v{version}: visit search {term}")
            found[term] = len(got)
        self.assertTrue(all(found[t] > 0 for t in TERMS[:-1]), found)
        self.assertEqual(found["废纸篓"], 0, "a deleted visit is not found")

        out, err = self.fb_ok("db", "check")
        self.assertIn("ok", out)

        # The copy made before upgrading: the old store exactly, still usable.
        backup = f"{self.db}.v{version}.bak"
        self.assertTrue(os.path.isfile(backup), f"{backup} was not made")
        self.assertEqual(stat.S_IMODE(os.stat(backup).st_mode), 0o600)
        self.assertEqual(self.sql("PRAGMA integrity_check", path=backup), [("ok",)])
        self.assertEqual(self.sql("PRAGMA user_version", path=backup)[0][0], version)
        self.assertEqual(self.db_snapshot(backup), self.db_snapshot(pristine))
        leftovers = [n for n in os.listdir(self.tmp) if "partial" in n]
        self.assertEqual(leftovers, [], "no temporary file is left")
        restored = os.path.join(self.tmp, "restored.db")
        shutil.copyfile(backup, restored)
        again = self.json_rows("--db", restored, "visit", "search", "纸")
        self.assertEqual({r["id"] for r in again}, expected_matches(pristine, "纸"))

        print(f"fault: v{version} fixture -> v{latest}: {sum(before.values())} rows kept in "
              f"{len(before)} tables, search {found}, db check ok, .v{version}.bak intact",
              file=sys.stderr)

    def test_v1_store(self):
        self.upgrade(1)

    def test_v2_store(self):
        self.upgrade(2)

    def test_v3_store(self):
        self.upgrade(3)

    def test_v4_store(self):
        self.upgrade(4)


CHANGED = "the day's visits, notes, quotas, orders or payments have changed"


class ArchivedDayUpgradeTest(FieldbookTestCase):
    """Version 5 fingerprints a closed day by its records instead of its rendered summary.
    Upgrading must neither start warning about an archived day that had not changed nor stop
    warning about one that had (v4.db: 2026-11-19 unchanged, a visit of 2026-11-20 corrected
    after that day was closed)."""

    def open_fixture(self, version):
        shutil.copyfile(os.path.join(STORES, f"v{version}.db"), self.db)
        os.chmod(self.db, 0o600)

    def show(self, day):
        out, err = self.fb_ok("meeting", "show", "--date", day)
        return out, err

    def fingerprints(self):
        return dict(self.sql("SELECT day, records_fingerprint FROM meeting "
                             "WHERE closed_at IS NOT NULL ORDER BY day"))

    def test_an_unchanged_day_stays_unflagged_across_the_upgrade(self):
        for version in (3, 4):
            with self.subTest(version=version):
                self.open_fixture(version)
                out, err = self.show("2026-11-19")
                self.assertNotIn(CHANGED, err)
                self.assertNotIn("does not match", err)
                prints = self.fingerprints()
                # taken at the upgrade, in the version current then
                self.assertRegex(prints["2026-11-19"], r"^v2:[0-9a-f]{64}$")

    def test_a_day_changed_before_the_upgrade_stays_flagged(self):
        self.open_fixture(4)
        out, err = self.show("2026-11-20")
        self.assertIn(CHANGED, err)
        self.assertIn("下单：A4纸10箱", out, "the archive is as it was closed")
        self.assertEqual(self.fingerprints()["2026-11-20"], "changed-before-upgrade")
        # the archived text itself is intact: only the records changed
        self.assertNotIn("does not match", err)
        out, err = self.fb_ok("db", "check")
        self.assertIn("ok", out)

    def test_after_the_upgrade_an_edit_of_an_unchanged_day_is_flagged(self):
        self.open_fixture(4)
        self.assertNotIn(CHANGED, self.show("2026-11-19")[1])
        (vid,), = self.sql("SELECT id FROM visit WHERE day = '2026-11-19' AND outcome = 'absent'")
        self.fb_ok("visit", "edit", str(vid), "--outcome", "refused")
        self.assertIn(CHANGED, self.show("2026-11-19")[1])


if __name__ == "__main__":
    import unittest
    unittest.main()
