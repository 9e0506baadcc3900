#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "domain/customers.hpp"
#include "domain/visits.hpp"
#include "domain/workflows/log_visit.hpp"
#include "errors.hpp"
#include "fixture.hpp"
#include "store/schema.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

using namespace fieldbook;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    TempDir() {
        path = fs::temp_directory_path() /
               ("fieldbook-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    static int& counter() {
        static int n = 0;
        return n;
    }
    fs::path path;
};

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

std::int64_t count(store::Store& s, const std::string& sql) {
    return fieldbook::store::database(s).execAndGet(sql).getInt64();
}

}  // namespace

TEST_CASE("store: migrates an empty file to the latest schema and reopens it unchanged") {
    TempDir dir;
    fs::path path = dir.path / "sub" / "fb.db";
    {
        auto s = store::Store::open_or_create(path);
        CHECK(s.schema_version() == store::latest_schema_version());
        CHECK(store::latest_schema_version() == static_cast<int>(store::migrations().size()));
        CHECK(fieldbook::store::database(s).execAndGet("PRAGMA journal_mode").getString() == "wal");
        CHECK(fieldbook::store::database(s).execAndGet("PRAGMA foreign_keys").getInt() == 1);
        s.write([&] { s.set_meta("owner", "zhangwei"); });
    }
    auto again = store::Store::open_existing(path);
    CHECK(again.schema_version() == store::latest_schema_version());
    CHECK(again.meta("owner") == std::optional<std::string>("zhangwei"));
    // No backup is made for a brand-new store.
    CHECK_FALSE(fs::exists(dir.path / "sub" / "fb.db.v0.bak"));
}

TEST_CASE("store: an older store is backed up, then upgraded step by step") {
    TempDir dir;
    fs::path path = dir.path / "old.db";
    {
        // A store as version 1 left it.
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec(std::string(store::migrations()[0]));
        db.exec("PRAGMA user_version = 1");
        db.exec("INSERT INTO meta (key, value) VALUES ('owner', 'lina')");
    }
    auto s = store::Store::open_existing(path);
    CHECK(s.schema_version() == store::latest_schema_version());
    CHECK(s.meta("owner") == std::optional<std::string>("lina"));
    fs::path backup = dir.path / "old.db.v1.bak";
    REQUIRE(fs::exists(backup));
    CHECK(mode_of(backup) == 0600);
    SQLite::Database copy(backup.string(), SQLite::OPEN_READONLY);
    CHECK(copy.execAndGet("PRAGMA user_version").getInt() == 1);
}

TEST_CASE("store: a store from a newer fieldbook is refused, not downgraded") {
    TempDir dir;
    fs::path path = dir.path / "new.db";
    {
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA user_version = 999");
    }
    CHECK_THROWS_AS(store::Store::open_existing(path), SystemError);
}

TEST_CASE("store: files are private (0600, directory 0700) whatever the umask") {
    TempDir dir;
    mode_t old = ::umask(022);
    fs::path path = dir.path / "data" / "fieldbook" / "fb.db";
    {
        auto s = store::Store::open_or_create(path);
        s.write([&] { s.set_meta("k", "v"); });
        CHECK(mode_of(path) == 0600);
        CHECK(mode_of(path.parent_path()) == 0700);
        for (const char* suffix : {"-wal", "-shm"}) {
            fs::path sibling = path;
            sibling += suffix;
            if (fs::exists(sibling)) CHECK(mode_of(sibling) == 0600);
        }
    }
    ::umask(old);
}

TEST_CASE("store: opening a missing store creates nothing and says how to make one") {
    TempDir dir;
    fs::path path = dir.path / "missing.db";
    try {
        store::Store::open_existing(path);
        FAIL("opened a missing store");
    } catch (const Error& e) {
        CHECK(e.exit_code() == 1);
        CHECK(e.hint().find("fieldbook init") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("store: a write that fails leaves nothing behind") {
    testing::TestStore t;
    auto rep = t.add_rep("zhangwei");
    auto before = count(t.store, "SELECT COUNT(*) FROM customer");
    workflows::VisitLog input{.visit = {.customer = "新客户有限公司"}};
    input.visit.fields.outcome = "contact";
    input.visit.fields.note = "留了目录";
    input.next = text::parse_iso_day("2026-11-20");  // before the visit: rejected late
    CHECK_THROWS_AS(t.store.write([&] { return workflows::log_visit(t.session, rep, input); }),
                    UsageError);
    CHECK(count(t.store, "SELECT COUNT(*) FROM customer") == before);
    CHECK(count(t.store, "SELECT COUNT(*) FROM visit") == 0);
    CHECK(count(t.store, "SELECT COUNT(*) FROM visit_search") == 0);
    // The store is still usable for the next command.
    input.next.reset();
    t.store.write([&] { return workflows::log_visit(t.session, rep, input); });
    CHECK(count(t.store, "SELECT COUNT(*) FROM visit") == 1);
}

TEST_CASE("store: read() holds one transaction, committed, or rolled back when fn throws") {
    testing::TestStore t;
    auto in_transaction = [&] {
        return sqlite3_get_autocommit(fieldbook::store::database(t.store).getHandle()) == 0;
    };
    CHECK_FALSE(in_transaction());
    auto n = t.store.read([&] {
        CHECK(in_transaction());
        return count(t.store, "SELECT COUNT(*) FROM customer");
    });
    CHECK(n == 0);
    CHECK_FALSE(in_transaction());
    auto failing = [&] {
        count(t.store, "SELECT COUNT(*) FROM customer");
        throw UsageError("stop");
    };
    CHECK_THROWS_AS(t.store.read(failing), UsageError);
    CHECK_FALSE(in_transaction());
    // Neither left a transaction behind for the next command.
    t.add_rep("zhangwei");
    t.store.read([&] { CHECK(count(t.store, "SELECT COUNT(*) FROM rep") == 1); });
    CHECK_FALSE(in_transaction());
}

TEST_CASE("store: inside read(), a write committed by another connection is not seen") {
    TempDir dir;
    auto path = dir.path / "fieldbook.db";
    auto reader = store::Store::open_or_create(path);
    auto writer = store::Store::open_existing(path);
    writer.write([&] { writer.set_meta("probe", "before"); });
    reader.read([&] {
        CHECK(reader.meta("probe") == "before");
        writer.write([&] { writer.set_meta("probe", "after"); });
        CHECK(reader.meta("probe") == "before");  // the snapshot of the first query
    });
    CHECK(reader.meta("probe") == "after");
}

TEST_CASE("store: the day, rep, customer and due-date queries use their indexes") {
    testing::TestStore t;
    t.add_rep("zhangwei");
    auto plan = [&](const visits::Query& q) {
        SQLite::Statement explain(fieldbook::store::database(t.store),
                                  "EXPLAIN QUERY PLAN " + q.sql);
        for (std::size_t i = 0; i < q.values.size(); ++i)
            std::visit([&](const auto& v) { explain.bind(static_cast<int>(i + 1), v); },
                       q.values[i]);
        std::string text;
        while (explain.executeStep()) text += explain.getColumn(3).getString() + "\n";
        return text;
    };
    text::Day day = text::parse_iso_day("2026-11-26");
    auto by_day = plan(visits::list_query(t.session, {.since = day, .until = day}));
    CAPTURE(by_day);
    CHECK(by_day.find("visit_by_day") != std::string::npos);

    auto by_rep = plan(visits::list_query(t.session, {.rep = "zhangwei", .since = day}));
    CAPTURE(by_rep);
    CHECK(by_rep.find("visit_by_rep_day") != std::string::npos);

    auto by_customer = plan(visits::list_query(t.session, {.customer_id = 1}));
    CAPTURE(by_customer);
    CHECK(by_customer.find("visit_by_customer_day") != std::string::npos);

    SQLite::Statement due(fieldbook::store::database(t.store),
                          "EXPLAIN QUERY PLAN SELECT id FROM followup WHERE state = 'open' "
                          "AND due_day <= '2026-11-26' AND rep_id = 1");
    std::string due_plan;
    while (due.executeStep()) due_plan += due.getColumn(3).getString() + "\n";
    CAPTURE(due_plan);
    CHECK(due_plan.find("followup_by_rep_state_due") != std::string::npos);

    auto search = plan(visits::list_query(t.session, {.search = "硒鼓型号"}));
    CAPTURE(search);
    CHECK(search.find("VIRTUAL TABLE INDEX") != std::string::npos);
}
