// The store contract: what every engine behind Store/Tx must do (tx.hpp, engine.hpp). The very
// same cases run on each engine: this file is included by one source file of each test binary
// (the embedded store's in unit_tests, the server's in pg_tests), which first defines
//   FIELDBOOK_CONTRACT_ENGINE  the engine's name in the case names ("sqlite", "postgresql");
//   fieldbook::testing::ContractStores  a store maker (the StoreMaker concept below), made anew
//       for each run of a case.
// No include guard on purpose: each binary includes it exactly once, to register its cases.
#include <doctest/doctest.h>

#include <atomic>
#include <concepts>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "clock.hpp"
#include "errors.hpp"
#include "store/search_index.hpp"
#include "store/store.hpp"
#include "store/tx.hpp"
#include "text/dates.hpp"
#include "text/unicode.hpp"
#include "uuid.hpp"

#ifndef FIELDBOOK_CONTRACT_ENGINE
#error "define FIELDBOOK_CONTRACT_ENGINE and fieldbook::testing::ContractStores first"
#endif

namespace fieldbook::testing {

// A fresh, empty, current store on the engine; and another Store (its own connection) on the
// same location as the last fresh one, as a second process would open it. `another` is called
// from several threads at once.
template <class T>
concept StoreMaker = requires(T& maker, const T& shared) {
    { maker.fresh() } -> std::same_as<store::Store>;
    { shared.another() } -> std::same_as<store::Store>;
};
static_assert(StoreMaker<ContractStores>);

}  // namespace fieldbook::testing

namespace {

using namespace fieldbook;
using store::Fields;
using store::Tx;
using store::Value;

#define CONTRACT_CASE(title) TEST_CASE("store contract (" FIELDBOOK_CONTRACT_ENGINE "): " title)

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

std::int64_t count_of(store::Store& s, const std::string& table) {
    return s.read(
        [&](Tx& tx) { return tx.one("SELECT COUNT(*) AS n FROM " + table)->integer("n"); });
}

}  // namespace

CONTRACT_CASE("insert stamps the record and logs its fields under the command") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
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
    CHECK(json_of(log[0], "new_values") ==
          nlohmann::json{{"name", "华宇大厦"}, {"name_key", "华宇大厦"}, {"district", "高新区"}});
}

CONTRACT_CASE("update writes and logs only the fields that differ") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
    auto b = s.write(f.author, f.clock, f.uuids,
                     [](Tx& tx) { return tx.insert("building", building("华宇大厦")); });
    FixedClock later{text::parse_iso_instant("2026-11-26T03:00:00Z", text::TimeZone::utc(), "now")};
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
    CHECK(json_of(log[1], "new_values") == nlohmann::json{{"district", "锦江区"}, {"floors", 28}});
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

CONTRACT_CASE("a tombstone keeps the record, marks it deleted and is logged once") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
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
    CHECK(json_of(log[1], "new_values") == nlohmann::json{{"deleted_at", "2026-11-26T02:00:00Z"}});
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
               return tx.one("SELECT id FROM building WHERE id = ? AND deleted_at IS NULL", {b.id});
           }).has_value());
}

CONTRACT_CASE("a transaction that throws leaves neither records nor log") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
    CHECK_THROWS_AS(s.write(f.author, f.clock, f.uuids,
                            [](Tx& tx) {
                                tx.insert("building", building("华宇大厦"));
                                throw UsageError("refused half-way");
                            }),
                    UsageError);
    CHECK(count_of(s, "building") == 0);
    CHECK(ops(s).empty());
    CHECK(count_of(s, "command") == 0);
}

CONTRACT_CASE("the transactions of one command share its one command entry") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
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

CONTRACT_CASE("rows are read by column name, parameters bound by type") {
    testing::ContractStores stores;
    auto s = stores.fresh();
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
    // `WHERE 1 = 0`, not SQLite's `WHERE 0`: PostgreSQL takes only a boolean there, and the
    // store's SQL is the subset both engines share.
    CHECK_FALSE(s.read([](Tx& tx) { return tx.one("SELECT 1 AS x WHERE 1 = 0"); }).has_value());
}

CONTRACT_CASE("what the record calls refuse") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
    auto write = [&](std::function<void(Tx&)> fn) { s.write(f.author, f.clock, f.uuids, fn); };
    // A read transaction does not write.
    CHECK_THROWS_AS(s.read([](Tx& tx) { tx.insert("building", building("甲")); }), SystemError);
    // Names go into the SQL text: only plain identifiers, only record tables.
    CHECK_THROWS_AS(write([](Tx& tx) { tx.insert("building; DROP TABLE visit", building("甲")); }),
                    SystemError);
    CHECK_THROWS_AS(write([](Tx& tx) {
                        tx.insert("building", {{"name\" = 1 --", "x"}});
                    }),
                    SystemError);
    CHECK_THROWS_AS(write([](Tx& tx) { tx.insert("op_log", {}); }), SystemError);
    CHECK_THROWS_AS(write([](Tx& tx) { tx.insert("command", {}); }), SystemError);
    // The stamps are the write path's own.
    CHECK_THROWS_AS(write([](Tx& tx) {
                        tx.insert("building", {{"name", "甲"}, {"name_key", "甲"}, {"uuid", "x"}});
                    }),
                    SystemError);
    CHECK_THROWS_AS(write([](Tx& tx) {
                        tx.update("building", 1, {{"updated_at", "x"}});
                    }),
                    SystemError);
    CHECK(ops(s).empty());
}

// Each writer is a Store of its own on the one location (a process of its own, as far as the
// engine can tell): SQLite's writers meet at the file lock, the server's at its write lock.
CONTRACT_CASE("concurrent writers on one store all land, none sees a lock error") {
    testing::ContractStores stores;
    { auto created = stores.fresh(); }
    constexpr int kWriters = 4, kEach = 50;
    std::atomic<int> failures{0};
    std::vector<std::string> errors(kWriters);
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w)
        writers.emplace_back([&, w] {
            try {
                Fixture f;
                UuidGenerator uuids(f.clock, 100 + w);  // each writer its own sequence
                auto s = std::as_const(stores).another();
                f.author.command_uuid = "0193a1b2-0000-7000-8000-00000000010" + std::to_string(w);
                for (int i = 0; i < kEach; ++i)
                    s.write(f.author, f.clock, uuids, [&](Tx& tx) {
                        tx.insert("building", building(fmt::format("楼{}-{}", w, i)));
                    });
            } catch (const std::exception& e) {
                errors[w] = e.what();  // doctest's assertions are not for other threads
                ++failures;
            }
        });
    for (auto& t : writers) t.join();
    for (const auto& e : errors)
        if (!e.empty()) MESSAGE(e);
    CHECK(failures == 0);
    auto s = std::as_const(stores).another();
    CHECK(count_of(s, "building") == kWriters * kEach);
    CHECK(ops(s).size() == kWriters * kEach);
    CHECK(count_of(s, "command") == kWriters);
}

CONTRACT_CASE("every operation carries a UUIDv7 of its own, later ones sorting later") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
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

CONTRACT_CASE("a Tx handed out serves each transaction, one rolled back included") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
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

// Both engines number records alike (Engine::next_id): a server's sequence would skip the
// number a rolled-back transaction drew, SQLite's rowid does not.
CONTRACT_CASE("ids are the largest plus one, even after a rolled-back insert") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
    auto first = s.write(f.author, f.clock, f.uuids,
                         [](Tx& tx) { return tx.insert("building", building("甲")); });
    auto second = s.write(f.author, f.clock, f.uuids,
                          [](Tx& tx) { return tx.insert("building", building("乙")); });
    CHECK(second.id == first.id + 1);
    // Another command, whose entry is rolled back with its change each time.
    store::Author other{.command_uuid = "0193a1b2-0000-7000-8000-000000000002", .actor = "li"};
    std::int64_t drawn = 0;
    CHECK_THROWS_AS(s.write(other, f.clock, f.uuids,
                            [&](Tx& tx) {
                                drawn = tx.insert("building", building("丙")).id;
                                throw UsageError("refused half-way");
                            }),
                    UsageError);
    CHECK(drawn == second.id + 1);
    auto handed_out = s.tx(other, f.clock, f.uuids);
    CHECK_FALSE(s.write_if([&] {
        drawn = handed_out->insert("building", building("丁")).id;
        return false;
    }));
    CHECK(drawn == second.id + 1);
    auto third = s.write(other, f.clock, f.uuids,
                         [](Tx& tx) { return tx.insert("building", building("戊")); });
    CHECK(third.id == second.id + 1);
    // Command entries are numbered the same way.
    auto commands = s.read([](Tx& tx) { return tx.all("SELECT id FROM command ORDER BY id"); });
    REQUIRE(commands.size() == 2);
    CHECK(commands[1].integer("id") == commands[0].integer("id") + 1);
}

// The search index (search_index.hpp) finds a match key anywhere in a visit's text: a term too
// short for the trigram index by a scan, a longer one through it, with the same answers.
CONTRACT_CASE("a visit is found by a substring of its text, of any length") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
    auto add_visit = [&](Tx& tx, std::int64_t rep, const std::string& customer,
                         const std::string& note) {
        auto c = tx.insert("customer", {{"name", customer},
                                        {"name_key", text::match_key(customer)},
                                        {"loose_key", text::loose_key(customer)},
                                        {"owner_id", rep}});
        return tx
            .insert("visit", {{"rep_id", rep},
                              {"customer_id", c.id},
                              {"at_utc", "2026-11-26T02:00:00Z"},
                              {"day", "2026-11-26"},
                              {"outcome", "interest"},
                              {"note", note}})
            .id;
    };
    auto [desk, chair] = s.write(f.author, f.clock, f.uuids, [&](Tx& tx) {
        auto rep = tx.insert("rep", {{"handle", "zhang"}, {"name", "张伟"}}).id;
        return std::pair{add_visit(tx, rep, "Acme 科技", "想要升降桌, 50%_off \"quoted\" C:\\tmp"),
                         add_visit(tx, rep, "蓝海贸易", "人体工学椅 ergonomic")};
    });
    auto found = [&](const std::string& term) {
        return s.read([&](Tx& tx) {
            auto key = text::match_key(term);
            auto condition = store::visit_search_condition(s, key, "v.id");
            std::vector<std::int64_t> ids;
            tx.each("SELECT v.id AS id FROM visit v WHERE " + condition.sql + " ORDER BY v.id",
                    {condition.value},
                    [&](const store::Row& r) { ids.push_back(r.integer("id")); });
            return ids;
        });
    };
    using Ids = std::vector<std::int64_t>;
    // One character, two, three and more; in the note and in the customer's name.
    CHECK(found("桌") == Ids{desk});
    CHECK(found("升降") == Ids{desk});
    CHECK(found("升降桌") == Ids{desk});
    CHECK(found("工学椅") == Ids{chair});
    CHECK(found("蓝海") == Ids{chair});
    CHECK(found("e") == Ids{desk, chair});
    // Case and width fold as the match key does.
    CHECK(found("ＡＣＭＥ") == Ids{desk});
    CHECK(found("ERGONOMIC") == Ids{chair});
    // LIKE's and the phrase query's own characters are literal text.
    CHECK(found("%") == Ids{desk});
    CHECK(found("%_") == Ids{desk});
    CHECK(found("0%_o") == Ids{desk});
    CHECK(found("\"quoted\"") == Ids{desk});
    CHECK(found("_") == Ids{desk});
    CHECK(found("\\") == Ids{desk});
    CHECK(found("c:\\t") == Ids{desk});
    CHECK(found("\\\\").empty());
    CHECK(found("x").empty());
    CHECK(found("升降椅").empty());
    CHECK(found("%%%").empty());
    // A deleted visit leaves the index.
    s.write(f.author, f.clock, f.uuids, [&](Tx& tx) { tx.tombstone("visit", desk); });
    CHECK(found("升降桌").empty());
    CHECK(found("e") == Ids{chair});
}

CONTRACT_CASE("a received change keeps its UUIDs, device and command, and merges by instant") {
    testing::ContractStores stores;
    Fixture f;
    auto s = stores.fresh();
    store::Author laptop{.command_uuid = "0193a1b2-0000-7000-8000-0000000000aa",
                         .actor = "li",
                         .argv = {"fieldbook", "building", "add", "星光大厦"}};
    const std::string uuid = "0193a1b2-0000-7000-8000-0000000000b1";
    store::ReceivedChange insert{.table = "building",
                                 .record_uuid = uuid,
                                 .kind = "insert",
                                 .fields = building("星光大厦"),
                                 .op_uuid = "0193a1b2-0000-7000-8000-0000000000c1",
                                 .device = "laptop-1",
                                 .at_utc = "2026-11-25T09:00:00Z",
                                 .command = laptop,
                                 .command_at_utc = "2026-11-25T09:00:00Z"};
    auto id = s.write(f.author, f.clock, f.uuids, [&](Tx& tx) { return tx.apply(insert); });
    auto row = s.read([&](Tx& tx) { return tx.one("SELECT * FROM building WHERE id = ?", {id}); });
    REQUIRE(row);
    CHECK(row->text("uuid") == uuid);
    CHECK(row->text("created_at") == "2026-11-25T09:00:00Z");
    auto log = ops(s);
    REQUIRE(log.size() == 1);
    CHECK(log[0].text("command_uuid") == laptop.command_uuid);
    CHECK(log[0].text("actor") == "li");
    CHECK(log[0].text("record_uuid") == uuid);
    auto stamp = s.read([](Tx& tx) { return tx.one("SELECT op_uuid, device FROM op_log"); });
    CHECK(stamp->text("op_uuid") == insert.op_uuid);
    CHECK(stamp->text("device") == "laptop-1");
    // The same operation again: received operations are unique by their UUID.
    CHECK_THROWS(s.write(f.author, f.clock, f.uuids, [&](Tx& tx) { tx.apply(insert); }));
    CHECK(count_of(s, "building") == 1);
    // An edit of a deleted record is written (stores agree) and the record stays deleted.
    s.write(f.author, f.clock, f.uuids, [&](Tx& tx) { tx.tombstone("building", id); });
    store::ReceivedChange edit = insert;
    edit.id = id;
    edit.kind = "update";
    edit.fields = {{"district", "锦江区"}};
    edit.op_uuid = "0193a1b2-0000-7000-8000-0000000000c2";
    s.write(f.author, f.clock, f.uuids, [&](Tx& tx) { tx.apply(edit); });
    row = s.read([&](Tx& tx) { return tx.one("SELECT * FROM building WHERE id = ?", {id}); });
    CHECK(row->text("district") == "锦江区");
    CHECK_FALSE(row->is_null("deleted_at"));
    // An edit whose every field lost is still logged: the log says it was applied.
    edit.fields = {};
    edit.op_uuid = "0193a1b2-0000-7000-8000-0000000000c3";
    s.write(f.author, f.clock, f.uuids, [&](Tx& tx) { tx.apply(edit); });
    CHECK(ops(s).size() == 4);
}

#undef CONTRACT_CASE
