// Undo as a command of its own: each kind of record call inverted, the store's live records
// exactly as before, undo of an undo, and the refusals (a later change by someone else, a
// closed meeting day, a command already undone, another rep's command).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <functional>
#include <string>
#include <vector>

#include "domain/command_log.hpp"
#include "domain/undo.hpp"
#include "errors.hpp"
#include "fixture.hpp"
#include "store/record_tables.hpp"

using namespace fieldbook;
using store::Fields;

namespace {

struct Team {
    testing::TestStore t;
    reps::Rep zhang = t.add_rep("zhang", "manager");
    reps::Rep lina = t.add_rep("lina");
    reps::Rep wang = t.add_rep("wang");
    int commands = 0;
    // The commands that registered the team come first in the log.
    std::int64_t base = logged_commands();

    // One fieldbook invocation by `who`: its own command id, one write transaction.
    template <class Fn>
    auto run(const reps::Rep& who, Fn&& fn) {
        t.session.author = {
            .command_uuid = fmt::format("0193a1b2-0000-7000-8000-{:012}", ++commands),
            .actor = who.handle,
            .argv = {"fieldbook", "test", std::to_string(commands)}};
        return t.store.write([&] { return fn(t.session.tx()); });
    }

    undo::Plan undo(const reps::Rep& who, std::optional<std::int64_t> command = std::nullopt) {
        return run(who, [&](store::Tx& tx) {
            auto plan = undo::plan(t.session, tx, who, command);
            t.session.author.undoes = plan.target.uuid;
            undo::apply(t.session, tx, plan);
            return plan;
        });
    }

    // Every live record of every table, all columns but updated_at (an undo is a new change).
    std::string live_records() {
        std::string dump;
        for (const auto& table : store::record_tables(t.store))
            t.store.read([&](store::Tx& tx) {
                tx.each(fmt::format("SELECT * FROM {} WHERE deleted_at IS NULL ORDER BY id", table),
                        {}, [&](const store::Row& r) {
                            dump += table;
                            for (std::size_t i = 0; i < r.columns().size(); ++i)
                                if (r.columns()[i] != "updated_at")
                                    dump += "|" + command_log::display(r.values()[i]);
                            dump += "\n";
                        });
            });
        return dump;
    }

    std::int64_t logged_commands() {
        return t.store.read([&](store::Tx& tx) {
            return tx.one("SELECT count(*) AS n FROM command")->integer("n");
        });
    }

    std::optional<std::string> deleted_at(const char* table, std::int64_t id) {
        return t.store.read([&](store::Tx& tx) {
            return tx.one(fmt::format("SELECT deleted_at FROM {} WHERE id = ?", table), {id})
                ->optional_text("deleted_at");
        });
    }
};

Fields building(const std::string& name) {
    return {{"name", name}, {"name_key", name}, {"district", "高新区"}};
}

}  // namespace

TEST_CASE("undo: an insert is tombstoned, and undoing the undo brings it back as it was") {
    Team team;
    std::string before = team.live_records();
    auto added = team.run(
        team.lina, [](store::Tx& tx) { return tx.insert("building", building("华宇大厦")); });
    std::string after = team.live_records();
    REQUIRE(after != before);

    auto plan = team.undo(team.lina);
    CHECK(plan.steps.size() == 1);
    CHECK(plan.steps[0].action == "tombstone");
    CHECK(team.live_records() == before);
    CHECK(team.deleted_at("building", added.id).has_value());

    auto redo = team.undo(team.lina);  // the latest command not undone is the undo itself
    CHECK(redo.target.id == plan.target.id + 1);
    CHECK(team.live_records() == after);
}

TEST_CASE("undo: an update writes the old values back, and a tombstone is lifted") {
    Team team;
    auto added = team.run(
        team.lina, [](store::Tx& tx) { return tx.insert("building", building("华宇大厦")); });
    std::string original = team.live_records();
    team.run(team.lina, [&](store::Tx& tx) {
        return tx.update("building", added.id, {{"name", "华宇中心"}, {"district", "武侯区"}});
    });
    REQUIRE(team.live_records() != original);
    auto plan = team.undo(team.lina);
    CHECK(plan.steps[0].action == "update");
    CHECK(team.live_records() == original);

    team.run(team.lina, [&](store::Tx& tx) {
        tx.tombstone("building", added.id);
        return 0;
    });
    REQUIRE(team.deleted_at("building", added.id));
    team.undo(team.lina);
    CHECK_FALSE(team.deleted_at("building", added.id));
    CHECK(team.live_records() == original);
}

TEST_CASE("undo: the log names the undo command and what it reverted") {
    Team team;
    team.run(team.lina, [](store::Tx& tx) { return tx.insert("building", building("华宇大厦")); });
    auto plan = team.undo(team.lina);
    std::vector<command_log::Command> seen;
    team.t.store.read([&](store::Tx& tx) {
        command_log::each(team.t.session, tx, {.actor = "lina"},
                          [&](const command_log::Command& c) { seen.push_back(c); });
    });
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].undoes == plan.target.id);  // newest first
    CHECK(seen[1].undone_by == seen[0].id);
    REQUIRE(seen[0].operations.size() == 1);
    CHECK(seen[0].operations[0].kind == "tombstone");
    CHECK(command_log::record_label(seen[0].operations[0]) == "building #1");
}

TEST_CASE("undo: refused when someone else changed the record later, and nothing is written") {
    Team team;
    auto added = team.run(
        team.lina, [](store::Tx& tx) { return tx.insert("building", building("华宇大厦")); });
    team.run(team.wang, [&](store::Tx& tx) {
        return tx.update("building", added.id, {{"district", "武侯区"}});
    });
    std::string before = team.live_records();
    CHECK_THROWS_WITH_AS(
        team.undo(team.lina, team.base + 1),
        doctest::Contains(fmt::format("wang changed later in command #{}", team.base + 2).c_str()),
        UsageError);
    CHECK(team.live_records() == before);
    CHECK(team.logged_commands() == team.base + 2);  // the refused undo left no command in the log
}

TEST_CASE(
    "undo: another rep's command is a manager's to undo, and an undone command is not undone "
    "twice") {
    Team team;
    team.run(team.lina, [](store::Tx& tx) { return tx.insert("building", building("华宇大厦")); });
    CHECK_THROWS_WITH_AS(team.undo(team.wang, team.base + 1),
                         doctest::Contains("only a manager or leader"), UsageError);
    team.undo(team.zhang, team.base + 1);
    CHECK_THROWS_WITH_AS(
        team.undo(team.lina, team.base + 1),
        doctest::Contains(fmt::format("undone already, by command #{}", team.base + 2).c_str()),
        UsageError);
}

TEST_CASE("undo: a record on a day whose meeting is closed stays as it was") {
    Team team;
    auto before = team.logged_commands();
    team.run(team.zhang, [&](store::Tx& tx) {
        return tx.insert("plan", {{"day", "2026-11-26"},
                                  {"rep_id", team.lina.id},
                                  {"visits", 20},
                                  {"set_by", team.zhang.id}});
    });
    team.run(team.zhang, [](store::Tx& tx) {
        return tx.insert("meeting", {{"day", "2026-11-26"}, {"closed_at", "2026-11-26T10:00:00Z"}});
    });
    CHECK_THROWS_WITH_AS(team.undo(team.zhang, before + 1), doctest::Contains("meeting is closed"),
                         UsageError);
    CHECK_THROWS_WITH_AS(team.undo(team.zhang), doctest::Contains("meeting is closed"), UsageError);
}
