// The store contract: what every engine behind Store/Tx must do (tx.hpp). Each case runs on
// every backend listed in `backends()`, so that a second engine runs the very same cases.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "clock.hpp"
#include "errors.hpp"
#include "store/store.hpp"
#include "store/tx.hpp"
#include "text/dates.hpp"
#include "uuid.hpp"

namespace fs = std::filesystem;
using namespace fieldbook;
using store::Fields;
using store::Tx;
using store::Value;

namespace {

struct Backend {
    const char* name;
    std::function<store::Store()> open;
};

std::vector<Backend> backends() {
    return {{"sqlite in memory", [] { return store::Store::in_memory(); }}};
}

struct Fixture {
    FixedClock clock{text::parse_iso_instant("2026-11-26T02:00:00Z", text::TimeZone::utc(), "now")};
    UuidGenerator uuids{clock, 11};
    store::Author author{.command_uuid = "0193a1b2-0000-7000-8000-000000000001",
                         .actor = "zhang",
                         .argv = {"fieldbook", "building", "add", "华宇大厦"}};
};

Fields building(const std::string& name, const std::string& district = "高新区") {
    return {{"name", name}, {"name_key", name}, {"district", district}};
}

std::vector<store::Row> ops(store::Store& s) {
    return s.read([](Tx& tx) {
        return tx.all(R"sql(
SELECT c.command_uuid, c.actor, c.argv, o.record_table, o.record_uuid, o.kind, o.old_values,
       o.new_values, o.at_utc
FROM op_log o JOIN command c ON c.id = o.command_id ORDER BY o.id)sql");
    });
}

nlohmann::json json_of(const store::Row& row, const char* column) {
    return nlohmann::json::parse(row.text(column));
}

}  // namespace

TEST_CASE("store contract: insert stamps the record and logs its fields under the command") {
    for (const auto& backend : backends()) {
        CAPTURE(backend.name);
        Fixture f;
        auto s = backend.open();
        auto inserted = s.write(f.author, f.clock, f.uuids,
                                [](Tx& tx) { return tx.insert("building", building("华宇大厦")); });
        CHECK(inserted.id > 0);
        CHECK(inserted.uuid.size() == 36);
        auto row = s.read(
            [&](Tx& tx) { return tx.one("SELECT * FROM building WHERE id = ?", {inserted.id}); });
        REQUIRE(row);
        CHECK(row->text("uuid") == inserted.uuid);
        CHECK(row->text("name") == "华宇大厦");
        CHECK(row->text("created_at") == "2026-11-26T02:00:00Z");
        CHECK(row->text("updated_at") == "2026-11-26T02:00:00Z");
        CHECK(row->is_null("deleted_at"));
        auto log = ops(s);
        REQUIRE(log.size() == 1);
        CHECK(log[0].text("command_uuid") == f.author.command_uuid);
        CHECK(log[0].text("actor") == "zhang");
        CHECK(json_of(log[0], "argv") == nlohmann::json(f.author.argv));
        CHECK(log[0].text("record_table") == "building");
        CHECK(log[0].text("record_uuid") == inserted.uuid);
        CHECK(log[0].text("kind") == "insert");
        CHECK(json_of(log[0], "old_values") == nlohmann::json::object());
        CHECK(json_of(log[0], "new_values") == nlohmann::json{{"name", "华宇大厦"},
                                                              {"name_key", "华宇大厦"},
                                                              {"district", "高新区"}});
    }
}

TEST_CASE("store contract: update writes and logs only the fields that differ") {
    for (const auto& backend : backends()) {
        CAPTURE(backend.name);
        Fixture f;
        auto s = backend.open();
        auto b = s.write(f.author, f.clock, f.uuids,
                         [](Tx& tx) { return tx.insert("building", building("华宇大厦")); });
        FixedClock later{
            text::parse_iso_instant("2026-11-26T03:00:00Z", text::TimeZone::utc(), "now")};
        store::Author second{.command_uuid = "0193a1b2-0000-7000-8000-000000000002",
                             .actor = "li",
                             .argv = {"fieldbook", "building", "edit"}};
        bool changed = s.write(second, later, f.uuids, [&](Tx& tx) {
            return tx.update(
                "building", b.id,
                {{"district", "锦江区"}, {"name", "华宇大厦"}, {"floors", std::int64_t{28}}});
        });
        CHECK(changed);
        auto log = ops(s);
        REQUIRE(log.size() == 2);
        CHECK(log[1].text("kind") == "update");
        CHECK(log[1].text("actor") == "li");
        CHECK(log[1].text("at_utc") == "2026-11-26T03:00:00Z");
        CHECK(json_of(log[1], "old_values") ==
              nlohmann::json{{"district", "高新区"}, {"floors", nullptr}});
        CHECK(json_of(log[1], "new_values") ==
              nlohmann::json{{"district", "锦江区"}, {"floors", 28}});
        auto row =
            s.read([&](Tx& tx) { return *tx.one("SELECT * FROM building WHERE id = ?", {b.id}); });
        CHECK(row.text("district") == "锦江区");
        CHECK(row.integer("floors") == 28);
        CHECK(row.text("created_at") == "2026-11-26T02:00:00Z");
        CHECK(row.text("updated_at") == "2026-11-26T03:00:00Z");

        SUBCASE("an update that changes nothing writes nothing") {
            bool again = s.write(second, later, f.uuids, [&](Tx& tx) {
                return tx.update("building", b.id, {{"district", "锦江区"}});
            });
            CHECK_FALSE(again);
            CHECK(ops(s).size() == 2);
        }
    }
}

TEST_CASE("store contract: a tombstone keeps the record, marks it deleted and is logged once") {
    for (const auto& backend : backends()) {
        CAPTURE(backend.name);
        Fixture f;
        auto s = backend.open();
        auto b = s.write(f.author, f.clock, f.uuids,
                         [](Tx& tx) { return tx.insert("building", building("华宇大厦")); });
        s.write(f.author, f.clock, f.uuids, [&](Tx& tx) {
            tx.tombstone("building", b.id);
            tx.tombstone("building", b.id);  // already deleted: no second entry
        });
        auto log = ops(s);
        REQUIRE(log.size() == 2);
        CHECK(log[1].text("kind") == "tombstone");
        CHECK(json_of(log[1], "old_values") == nlohmann::json{{"deleted_at", nullptr}});
        CHECK(json_of(log[1], "new_values") ==
              nlohmann::json{{"deleted_at", "2026-11-26T02:00:00Z"}});
        auto row =
            s.read([&](Tx& tx) { return *tx.one("SELECT * FROM building WHERE id = ?", {b.id}); });
        CHECK(row.text("deleted_at") == "2026-11-26T02:00:00Z");
        // A deleted record is changed only by restoring it (what undo of a delete does).
        CHECK_THROWS_AS(s.write(f.author, f.clock, f.uuids,
                                [&](Tx& tx) {
                                    tx.update("building", b.id, {{"district", "x"}});
                                }),
                        SystemError);
        s.write(f.author, f.clock, f.uuids, [&](Tx& tx) {
            tx.update("building", b.id, {{"deleted_at", Value{}}});
        });
        CHECK(ops(s).size() == 3);
        CHECK(s.read([&](Tx& tx) {
                   return tx.one("SELECT id FROM building WHERE id = ? AND deleted_at IS NULL",
                                 {b.id});
               }).has_value());
    }
}

TEST_CASE("store contract: a transaction that throws leaves neither records nor log") {
    for (const auto& backend : backends()) {
        CAPTURE(backend.name);
        Fixture f;
        auto s = backend.open();
        CHECK_THROWS_AS(s.write(f.author, f.clock, f.uuids,
                                [](Tx& tx) {
                                    tx.insert("building", building("华宇大厦"));
                                    throw UsageError("refused half-way");
                                }),
                        UsageError);
        CHECK(s.read([](Tx& tx) { return tx.all("SELECT id FROM building"); }).empty());
        CHECK(ops(s).empty());
        CHECK(s.read([](Tx& tx) { return tx.all("SELECT id FROM command"); }).empty());
    }
}

TEST_CASE("store contract: the transactions of one command share its one command entry") {
    for (const auto& backend : backends()) {
        CAPTURE(backend.name);
        Fixture f;
        auto s = backend.open();
        s.write(f.author, f.clock, f.uuids, [](Tx& tx) { tx.insert("building", building("甲")); });
        s.write(f.author, f.clock, f.uuids, [](Tx& tx) { tx.insert("building", building("乙")); });
        // A command that changes nothing leaves no entry.
        store::Author idle{.command_uuid = "0193a1b2-0000-7000-8000-00000000000f", .actor = "li"};
        s.write(idle, f.clock, f.uuids, [](Tx& tx) { tx.all("SELECT id FROM building"); });
        auto commands = s.read([](Tx& tx) { return tx.all("SELECT command_uuid FROM command"); });
        REQUIRE(commands.size() == 1);
        CHECK(commands[0].text("command_uuid") == f.author.command_uuid);
        CHECK(ops(s).size() == 2);
    }
}

TEST_CASE("store contract: rows are read by column name, parameters bound by type") {
    for (const auto& backend : backends()) {
        CAPTURE(backend.name);
        auto s = backend.open();
        auto row = s.read([](Tx& tx) {
            return *tx.one("SELECT ? AS n, ? AS r, ? AS t, ? AS z",
                           {std::int64_t{42}, 2.5, std::string("二"), Value{}});
        });
        CHECK(row.integer("n") == 42);
        CHECK(row.real("r") == 2.5);
        CHECK(row.text("t") == "二");
        CHECK(row.is_null("z"));
        CHECK(row.optional_text("z") == std::nullopt);
        CHECK(row.optional_integer("n") == 42);
        CHECK_THROWS_AS(row.text("missing"), SystemError);
        CHECK_THROWS_AS(row.integer("t"), SystemError);
        CHECK_FALSE(s.read([](Tx& tx) { return tx.one("SELECT 1 AS x WHERE 0"); }).has_value());
    }
}

TEST_CASE("store contract: what the record calls refuse") {
    for (const auto& backend : backends()) {
        CAPTURE(backend.name);
        Fixture f;
        auto s = backend.open();
        auto write = [&](std::function<void(Tx&)> fn) { s.write(f.author, f.clock, f.uuids, fn); };
        // A read transaction does not write.
        CHECK_THROWS_AS(s.read([](Tx& tx) { tx.insert("building", building("甲")); }), SystemError);
        // Names go into the SQL text: only plain identifiers, only record tables.
        CHECK_THROWS_AS(
            write([](Tx& tx) { tx.insert("building; DROP TABLE visit", building("甲")); }),
            SystemError);
        CHECK_THROWS_AS(write([](Tx& tx) {
                            tx.insert("building", {{"name\" = 1 --", "x"}});
                        }),
                        SystemError);
        CHECK_THROWS_AS(write([](Tx& tx) { tx.insert("op_log", {}); }), SystemError);
        CHECK_THROWS_AS(write([](Tx& tx) { tx.insert("command", {}); }), SystemError);
        // The stamps are the write path's own.
        CHECK_THROWS_AS(
            write([](Tx& tx) {
                tx.insert("building", {{"name", "甲"}, {"name_key", "甲"}, {"uuid", "x"}});
            }),
            SystemError);
        CHECK_THROWS_AS(write([](Tx& tx) {
                            tx.update("building", 1, {{"updated_at", "x"}});
                        }),
                        SystemError);
        CHECK(ops(s).empty());
    }
}

TEST_CASE("store contract: concurrent writers on one file all land, none sees a lock error") {
    fs::path dir = fs::temp_directory_path() /
                   ("fieldbook-contract-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    fs::path path = dir / "fb.db";
    { auto created = store::Store::open_or_create(path); }
    constexpr int kWriters = 4, kEach = 50;
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w)
        writers.emplace_back([&, w] {
            try {
                Fixture f;
                UuidGenerator uuids(f.clock, 100 + w);  // each writer its own sequence
                auto s = store::Store::open_existing(path);
                f.author.command_uuid = "0193a1b2-0000-7000-8000-00000000010" + std::to_string(w);
                for (int i = 0; i < kEach; ++i)
                    s.write(f.author, f.clock, uuids, [&](Tx& tx) {
                        tx.insert("building", building(fmt::format("楼{}-{}", w, i)));
                    });
            } catch (const std::exception& e) {
                MESSAGE(e.what());
                ++failures;
            }
        });
    for (auto& t : writers) t.join();
    CHECK(failures == 0);
    auto s = store::Store::open_existing(path);
    CHECK(s.read([](Tx& tx) {
        return tx.one("SELECT COUNT(*) AS n FROM building")->integer("n");
    }) == kWriters * kEach);
    CHECK(ops(s).size() == kWriters * kEach);
    CHECK(s.read([](Tx& tx) {
        return tx.one("SELECT COUNT(*) AS n FROM command")->integer("n");
    }) == kWriters);
    fs::remove_all(dir);
}

TEST_CASE("store contract: every operation carries a UUIDv7 of its own, later ones sorting later") {
    for (const auto& backend : backends()) {
        CAPTURE(backend.name);
        Fixture f;
        auto s = backend.open();
        auto a = s.write(f.author, f.clock, f.uuids, [](Tx& tx) {
            auto inserted = tx.insert("building", building("甲"));
            tx.update("building", inserted.id, {{"district", "武侯区"}});
            return inserted;
        });
        s.write(f.author, f.clock, f.uuids, [&](Tx& tx) { tx.tombstone("building", a.id); });
        auto ids = s.read([](Tx& tx) {
            std::vector<std::string> out;
            tx.each("SELECT op_uuid FROM op_log ORDER BY id", {},
                    [&](const store::Row& r) { out.push_back(r.text("op_uuid")); });
            return out;
        });
        REQUIRE(ids.size() == 3);
        for (const auto& id : ids) {
            CHECK(id.size() == 36);
            CHECK(id[14] == '7');  // version 7
            CHECK(id != a.uuid);
        }
        CHECK(ids[0] < ids[1]);
        CHECK(ids[1] < ids[2]);
    }
}

TEST_CASE("store contract: a Tx handed out serves each transaction, one rolled back included") {
    for (const auto& backend : backends()) {
        CAPTURE(backend.name);
        Fixture f;
        auto s = backend.open();
        auto tx = s.tx(f.author, f.clock, f.uuids);
        // A dry run: the command's row is written with the change, then rolled back with it.
        CHECK_FALSE(s.write_if([&] {
            tx->insert("building", building("甲"));
            return false;
        }));
        s.write([&] { tx->insert("building", building("乙")); });
        auto names = s.read([](Tx& r) { return r.all("SELECT name FROM building"); });
        REQUIRE(names.size() == 1);
        CHECK(names[0].text("name") == "乙");
        CHECK(ops(s).size() == 1);
        CHECK(ops(s)[0].text("command_uuid") == f.author.command_uuid);
    }
}
