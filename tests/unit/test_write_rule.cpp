// The rule of who may change what, as the write path applies it (write_rule::for_actor installed
// as the Tx's guard): each record call of an owned table tried by its owner, another rep, a
// manager and a leader; the acts of a role; the changes that are anyone's. A refused call throws
// a UsageError and leaves the store exactly as it was, its log included.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "domain/command_log.hpp"
#include "domain/write_rule.hpp"
#include "errors.hpp"
#include "fixture.hpp"
#include "store/record_tables.hpp"

using namespace fieldbook;
using store::Fields;

namespace {

using Make = std::function<std::int64_t(store::Tx&)>;
using Act = std::function<void(store::Tx&, std::int64_t)>;

struct Team {
    testing::TestStore t;
    reps::Rep zhang = t.add_rep("zhang", "manager");
    reps::Rep chen = t.add_rep("chen", "leader");
    reps::Rep lina = t.add_rep("lina");
    reps::Rep wang = t.add_rep("wang");
    int commands = 0;
    // Every table's records hang off a company: lina's.
    std::int64_t company = setup([&](store::Tx& tx) { return customer(tx, "华宇科技", lina.id); });

    void author(const reps::Rep& who) {
        t.session.author = {
            .command_uuid = fmt::format("0193a1b2-0000-7000-8000-{:012}", ++commands),
            .actor = who.handle,
            .argv = {"fieldbook", "test", std::to_string(commands)}};
    }

    // Records made as a test's starting point, with no rule applied (as a store's own setup).
    template <class Fn>
    auto setup(Fn&& fn) -> std::invoke_result_t<Fn&, store::Tx&> {
        author(zhang);
        t.session.tx().guard_with({});
        return t.store.write([&] { return fn(t.session.tx()); });
    }

    // One command by `who`, every record call of it judged by the rule. The guard stays on the
    // session's Tx, so it is taken off again however the command ends.
    void as(const reps::Rep& who, const std::function<void(store::Tx&)>& fn) {
        author(who);
        struct Unguard {
            Session& s;
            ~Unguard() { s.tx().guard_with({}); }
        } unguard{t.session};
        t.session.tx().guard_with(write_rule::for_actor(who));
        t.store.write([&] { fn(t.session.tx()); });
    }

    // Every record of every table, tombstoned ones and every column included, and the log.
    std::string everything() {
        std::string dump;
        for (const auto& table : store::record_tables(t.store))
            t.store.read([&](store::Tx& tx) {
                tx.each(fmt::format("SELECT * FROM {} ORDER BY id", table), {},
                        [&](const store::Row& r) {
                            dump += table;
                            for (const auto& v : r.values()) dump += "|" + command_log::display(v);
                            dump += "\n";
                        });
            });
        t.store.read([&](store::Tx& tx) {
            dump += fmt::format("commands {} operations {}\n",
                                tx.one("SELECT count(*) AS n FROM command")->integer("n"),
                                tx.one("SELECT count(*) AS n FROM op_log")->integer("n"));
        });
        return dump;
    }

    // The command goes through and writes something.
    void allowed(const reps::Rep& who, const std::function<void(store::Tx&)>& fn) {
        INFO("tried by ", who.handle, " (", who.role, ")");
        std::string before = everything();
        CHECK_NOTHROW(as(who, fn));
        CHECK(everything() != before);
    }

    // The command is refused (UsageError, whose message contains `reason`), and nothing of it
    // is written: no record, no log entry.
    void refused(const reps::Rep& who, const std::function<void(store::Tx&)>& fn,
                 const std::string& reason = "") {
        INFO("tried by ", who.handle, " (", who.role, ")");
        std::string before = everything();
        CHECK_THROWS_WITH_AS(as(who, fn), doctest::Contains(reason.c_str()), UsageError);
        CHECK(everything() == before);
    }

    // A fresh record for each try (an allowed try changes or removes it), then the call on it.
    void allowed(const reps::Rep& who, const Make& make, const Act& act) {
        auto id = setup(make);
        allowed(who, [&](store::Tx& tx) { act(tx, id); });
    }
    void refused(const reps::Rep& who, const Make& make, const Act& act,
                 const std::string& reason = "") {
        auto id = setup(make);
        refused(
            who, [&](store::Tx& tx) { act(tx, id); }, reason);
    }

    // An owned record: its owner, a manager and a leader change it; another rep is refused.
    void owners_and_leads(const Make& make, const Act& act, const std::string& reason) {
        allowed(lina, make, act);
        refused(wang, make, act, reason);
        allowed(zhang, make, act);
        allowed(chen, make, act);
    }

    static std::int64_t customer(store::Tx& tx, const std::string& name,
                                 std::optional<std::int64_t> owner) {
        return tx
            .insert("customer", {{"name", name},
                                 {"name_key", name},
                                 {"loose_key", name},
                                 {"owner_id", store::value_of(owner)}})
            .id;
    }

    std::int64_t order(store::Tx& tx, std::int64_t rep) {
        return tx
            .insert("orders", {{"customer_id", company},
                               {"rep_id", rep},
                               {"day", "2026-11-26"},
                               {"amount_cents", 120000}})
            .id;
    }

    std::int64_t meeting(store::Tx& tx, const std::string& day, bool closed) {
        Fields fields{{"day", day}};
        if (closed) {
            fields.emplace_back("closed_at", "2026-11-26T10:00:00Z");
            fields.emplace_back("closed_by", zhang.id);
        }
        return tx.insert("meeting", fields).id;
    }
};

void update_note(store::Tx& tx, const char* table, std::int64_t id) {
    tx.update(table, id, {{"note", "改了"}});
}

}  // namespace

TEST_CASE("write rule: a visit is changed by its rep, a manager or a leader") {
    Team team;
    Make make = [&](store::Tx& tx) {
        return tx
            .insert("visit", {{"rep_id", team.lina.id},
                              {"customer_id", team.company},
                              {"at_utc", "2026-11-26T02:00:00Z"},
                              {"day", "2026-11-26"},
                              {"outcome", "contact"}})
            .id;
    };
    team.owners_and_leads(
        make, [](store::Tx& tx, std::int64_t id) { update_note(tx, "visit", id); },
        "update of visit: visit #");
    team.owners_and_leads(
        make, [](store::Tx& tx, std::int64_t id) { tx.tombstone("visit", id); },
        "tombstone of visit: visit #");
    // Naming the rep in the refusal: the owner, and who tried.
    team.refused(
        team.wang, make, [](store::Tx& tx, std::int64_t id) { update_note(tx, "visit", id); },
        "(lina's) may be changed only by lina, a manager or a leader (wang is a rep)");
    // Taking another's visit over is changing it.
    team.refused(team.wang, make, [&](store::Tx& tx, std::int64_t id) {
        tx.update("visit", id, {{"rep_id", team.wang.id}});
    });
}

TEST_CASE("write rule: a follow-up is changed by its rep, a manager or a leader") {
    Team team;
    Make make = [&](store::Tx& tx) {
        return tx
            .insert("followup", {{"customer_id", team.company},
                                 {"rep_id", team.lina.id},
                                 {"due_day", "2026-11-27"}})
            .id;
    };
    team.owners_and_leads(
        make, [](store::Tx& tx, std::int64_t id) { update_note(tx, "followup", id); },
        "update of followup: follow-up #");
    team.owners_and_leads(
        make, [](store::Tx& tx, std::int64_t id) { tx.tombstone("followup", id); },
        "tombstone of followup: follow-up #");
    team.owners_and_leads(
        make,
        [](store::Tx& tx, std::int64_t id) {
            tx.update("followup", id, {{"state", "done"}, {"result", "签了"}});
        },
        "(lina's)");
}

TEST_CASE("write rule: an order, its lines and payments are changed by its rep or a lead") {
    Team team;
    Make order = [&](store::Tx& tx) { return team.order(tx, team.lina.id); };
    team.owners_and_leads(
        order, [](store::Tx& tx, std::int64_t id) { update_note(tx, "orders", id); },
        "update of orders: order #");
    team.owners_and_leads(
        order, [](store::Tx& tx, std::int64_t id) { tx.tombstone("orders", id); },
        "tombstone of orders: order #");

    // A payment is its order's rep's.
    Make payment = [&](store::Tx& tx) {
        auto o = team.order(tx, team.lina.id);
        return tx
            .insert("payment", {{"order_id", o}, {"day", "2026-11-26"}, {"amount_cents", 5000}})
            .id;
    };
    team.owners_and_leads(
        payment, [](store::Tx& tx, std::int64_t id) { update_note(tx, "payment", id); },
        "update of payment: payment #");
    team.owners_and_leads(
        payment, [](store::Tx& tx, std::int64_t id) { tx.tombstone("payment", id); },
        "tombstone of payment: payment #");
    team.owners_and_leads(
        payment,
        [](store::Tx& tx, std::int64_t id) {
            tx.update("payment", id, {{"amount_cents", 6000}});
        },
        "(lina's)");

    // And so is a line.
    Make line = [&](store::Tx& tx) {
        auto o = team.order(tx, team.lina.id);
        return tx
            .insert("order_line", {{"order_id", o},
                                   {"sku", "A4-80"},
                                   {"name", "复印纸"},
                                   {"quantity", 10},
                                   {"list_price_cents", 2500},
                                   {"unit_price_cents", 2300},
                                   {"line_cents", 23000}})
            .id;
    };
    team.owners_and_leads(
        line,
        [](store::Tx& tx, std::int64_t id) {
            tx.update("order_line", id, {{"quantity", 12}});
        },
        "update of order_line: order line #");
    team.owners_and_leads(
        line, [](store::Tx& tx, std::int64_t id) { tx.tombstone("order_line", id); },
        "tombstone of order_line: order line #");
}

TEST_CASE("write rule: a customer is changed by its owner, a manager or a leader") {
    Team team;
    int n = 0;
    Make make = [&](store::Tx& tx) {
        return Team::customer(tx, fmt::format("客户{}", ++n), team.lina.id);
    };
    team.owners_and_leads(
        make,
        [](store::Tx& tx, std::int64_t id) {
            tx.update("customer", id, {{"name", "新名字"}, {"name_key", "新名字"}});
        },
        "update of customer: customer #");
    team.owners_and_leads(
        make, [](store::Tx& tx, std::int64_t id) { tx.tombstone("customer", id); },
        "tombstone of customer: customer #");
    team.owners_and_leads(
        make,
        [](store::Tx& tx, std::int64_t id) {
            tx.update("customer", id, {{"notes", "有意向"}});
        },
        "(lina's)");
}

TEST_CASE("write rule: what a visit learns of a company is anyone's to record") {
    Team team;
    int n = 0;
    Make lina_s = [&](store::Tx& tx) {
        return Team::customer(tx, fmt::format("客户{}", ++n), team.lina.id);
    };
    Make nobody_s = [&](store::Tx& tx) {
        return Team::customer(tx, fmt::format("客户{}", ++n), std::nullopt);
    };
    // Another rep records lina's customer's status, size, brands and usage.
    team.allowed(team.wang, lina_s, [](store::Tx& tx, std::int64_t id) {
        tx.update("customer", id, {{"status", "interested"}});
    });
    team.allowed(team.wang, lina_s, [](store::Tx& tx, std::int64_t id) {
        tx.update("customer", id,
                  {{"status", "negotiating"},
                   {"headcount", 40},
                   {"office_size", "300㎡"},
                   {"brands", "理光"},
                   {"usage", "每月两万张"}});
    });
    // But not its name, nor its name along with its status.
    team.refused(
        team.wang, lina_s,
        [](store::Tx& tx, std::int64_t id) {
            tx.update("customer", id, {{"name", "改名"}, {"name_key", "改名"}});
        },
        "update of customer: customer #");
    team.refused(team.wang, lina_s, [](store::Tx& tx, std::int64_t id) {
        tx.update("customer", id, {{"status", "customer"}, {"name", "改名"}});
    });
    // A company nobody owns yet is claimed by whoever first records it; an owned one is not
    // taken over.
    team.allowed(team.wang, nobody_s, [&](store::Tx& tx, std::int64_t id) {
        tx.update("customer", id, {{"owner_id", team.wang.id}, {"status", "contacted"}});
    });
    team.refused(team.wang, lina_s, [&](store::Tx& tx, std::int64_t id) {
        tx.update("customer", id, {{"owner_id", team.wang.id}});
    });
    team.refused(team.wang, lina_s, [&](store::Tx& tx, std::int64_t id) {
        tx.update("customer", id, {{"owner_id", team.wang.id}, {"status", "contacted"}});
    });
    // Nobody's company is anyone's, its name included.
    team.allowed(team.wang, nobody_s, [](store::Tx& tx, std::int64_t id) {
        tx.update("customer", id, {{"name", "改名"}});
    });
    team.allowed(team.wang, nobody_s,
                 [](store::Tx& tx, std::int64_t id) { tx.tombstone("customer", id); });
}

TEST_CASE("write rule: contacts are recorded by anyone and removed by the company's owner") {
    Team team;
    Make make = [&](store::Tx& tx) {
        return tx
            .insert("contact",
                    {{"customer_id", team.company}, {"name", "刘经理"}, {"name_key", "刘经理"}})
            .id;
    };
    team.allowed(team.wang, [&](store::Tx& tx) {
        tx.insert("contact",
                  {{"customer_id", team.company}, {"name", "前台"}, {"name_key", "前台"}});
    });
    team.allowed(team.wang, make, [](store::Tx& tx, std::int64_t id) {
        tx.update("contact", id, {{"phone", "13800000000"}, {"role", "purchaser"}});
    });
    team.owners_and_leads(
        make, [](store::Tx& tx, std::int64_t id) { tx.tombstone("contact", id); },
        "tombstone of contact: contact #");
}

TEST_CASE("write rule: a negotiation brief is the company's, its guidance the manager's") {
    Team team;
    Make make = [&](store::Tx& tx) {
        return tx.insert("negotiation_brief", {{"customer_id", team.company}, {"concerns", "价格"}})
            .id;
    };
    team.owners_and_leads(
        make,
        [](store::Tx& tx, std::int64_t id) {
            tx.update("negotiation_brief", id, {{"concerns", "送货"}});
        },
        "update of negotiation_brief: negotiation brief #");
    // The guidance: the manager alone, the company's owner and the leader included out.
    Act guide = [](store::Tx& tx, std::int64_t id) {
        tx.update("negotiation_brief", id, {{"guidance", "先报九五折"}});
    };
    team.allowed(team.zhang, make, guide);
    for (const auto* who : {&team.lina, &team.wang, &team.chen})
        team.refused(*who, make, guide, "manager's guidance");
    team.refused(
        team.lina,
        [&](store::Tx& tx) {
            tx.insert("negotiation_brief", {{"customer_id", team.company}, {"guidance", "九折"}});
        },
        "manager's guidance");
    // A brief holding guidance is removed by the manager only.
    Make guided = [&](store::Tx& tx) {
        return tx.insert("negotiation_brief", {{"customer_id", team.company}, {"guidance", "九折"}})
            .id;
    };
    Act remove = [](store::Tx& tx, std::int64_t id) { tx.tombstone("negotiation_brief", id); };
    team.refused(team.lina, guided, remove, "manager's guidance");
    team.allowed(team.zhang, guided, remove);
}

TEST_CASE("write rule: unmet needs are recorded by anyone and removed by the company's owner") {
    Team team;
    Make make = [&](store::Tx& tx) {
        return tx
            .insert("unmet_need",
                    {{"customer_id", team.company}, {"item", "碎纸机"}, {"item_key", "碎纸机"}})
            .id;
    };
    team.allowed(team.wang, [&](store::Tx& tx) {
        tx.insert("unmet_need",
                  {{"customer_id", team.company}, {"item", "信封"}, {"item_key", "信封"}});
    });
    team.owners_and_leads(
        make, [](store::Tx& tx, std::int64_t id) { tx.tombstone("unmet_need", id); },
        "tombstone of unmet_need: unmet need #");
}

TEST_CASE("write rule: a meeting note is its rep's, a manager's or a leader's to change") {
    Team team;
    Make make = [&](store::Tx& tx) {
        return tx
            .insert("meeting_note", {{"day", "2026-11-26"},
                                     {"rep_id", team.lina.id},
                                     {"kind", "self-review"},
                                     {"text", "开场白太长"},
                                     {"author_id", team.lina.id}})
            .id;
    };
    team.owners_and_leads(
        make,
        [](store::Tx& tx, std::int64_t id) {
            tx.update("meeting_note", id, {{"text", "改了"}});
        },
        "update of meeting_note: meeting note #");
    team.owners_and_leads(
        make, [](store::Tx& tx, std::int64_t id) { tx.tombstone("meeting_note", id); },
        "tombstone of meeting_note: meeting note #");
}

TEST_CASE("write rule: the manager's meeting notes are the manager's alone") {
    Team team;
    auto note = [&](const reps::Rep& by) {
        return Fields{{"day", "2026-11-26"},
                      {"rep_id", team.lina.id},
                      {"kind", "manager"},
                      {"text", "跟进太慢"},
                      {"author_id", by.id}};
    };
    for (const auto* who : {&team.lina, &team.wang, &team.chen})
        team.refused(
            *who, [&](store::Tx& tx) { tx.insert("meeting_note", note(*who)); },
            "only a manager may write the manager's notes");
    team.allowed(team.zhang, [&](store::Tx& tx) { tx.insert("meeting_note", note(team.zhang)); });

    // A note about lina is still not hers to change or remove.
    Make make = [&](store::Tx& tx) { return tx.insert("meeting_note", note(team.zhang)).id; };
    Act edit = [](store::Tx& tx, std::int64_t id) {
        tx.update("meeting_note", id, {{"text", "改了"}});
    };
    Act remove = [](store::Tx& tx, std::int64_t id) { tx.tombstone("meeting_note", id); };
    for (const auto& act : {edit, remove}) {
        team.refused(team.lina, make, act, "only a manager may write the manager's notes");
        team.refused(team.chen, make, act);
        team.allowed(team.zhang, make, act);
    }
}

TEST_CASE("write rule: a task is marked done by its rep or a lead, and given by a lead") {
    Team team;
    Make make = [&](store::Tx& tx) {
        return tx
            .insert(
                "rep_task",
                {{"rep_id", team.lina.id}, {"text", "背熟价目表"}, {"assigned_by", team.zhang.id}})
            .id;
    };
    team.owners_and_leads(
        make,
        [](store::Tx& tx, std::int64_t id) {
            tx.update("rep_task", id, {{"done_at", "2026-11-26T02:00:00Z"}});
        },
        "update of rep_task: task #");
    // Removing a task, or rewording it, is giving tasks: the leads', not even its rep's.
    Act remove = [](store::Tx& tx, std::int64_t id) { tx.tombstone("rep_task", id); };
    Act reword = [](store::Tx& tx, std::int64_t id) {
        tx.update("rep_task", id, {{"text", "背熟价目表和折扣"}});
    };
    for (const auto& act : {remove, reword}) {
        team.refused(team.lina, make, act, "only a manager or a leader may give tasks");
        team.refused(team.wang, make, act, "only a manager or a leader may give tasks");
        team.allowed(team.zhang, make, act);
        team.allowed(team.chen, make, act);
    }
    // Giving one.
    auto give = [&](const reps::Rep& by) {
        return [&team, &by](store::Tx& tx) {
            tx.insert("rep_task",
                      {{"rep_id", team.wang.id}, {"text", "陪访一天"}, {"assigned_by", by.id}});
        };
    };
    team.refused(team.lina, give(team.lina), "insert of rep_task: only a manager or a leader");
    team.allowed(team.zhang, give(team.zhang));
    team.allowed(team.chen, give(team.chen));
}

TEST_CASE("write rule: a rep's own name, phone and email are theirs or a lead's to change") {
    Team team;
    Act rename = [](store::Tx& tx, std::int64_t id) {
        tx.update("rep", id, {{"name", "李娜"}, {"phone", "13900000000"}});
    };
    // lina is recreated for each try only in name: the record is the team's lina throughout,
    // renamed back between tries.
    Make lina = [&](store::Tx& tx) {
        tx.update("rep", team.lina.id, {{"name", "lina"}, {"phone", std::monostate{}}});
        return team.lina.id;
    };
    team.owners_and_leads(lina, rename, "update of rep: rep #");
}

TEST_CASE("write rule: quotas are set by a manager or a leader") {
    Team team;
    auto plan = [&](const reps::Rep& by) {
        return [&team, &by](store::Tx& tx) {
            tx.insert("plan", {{"day", "2026-11-27"},
                               {"rep_id", team.lina.id},
                               {"visits", 20},
                               {"set_by", by.id}});
        };
    };
    team.refused(team.lina, plan(team.lina),
                 "insert of plan: only a manager or a leader may set quotas (lina is a rep)");
    team.refused(team.wang, plan(team.wang), "only a manager or a leader may set quotas");
    team.allowed(team.zhang, plan(team.zhang));
    team.allowed(team.chen, plan(team.chen));
    // The plan a new one replaces is tombstoned: that too is setting quotas.
    Make make = [&](store::Tx& tx) {
        return tx
            .insert("plan", {{"day", "2026-11-27"},
                             {"rep_id", team.lina.id},
                             {"visits", 20},
                             {"set_by", team.zhang.id}})
            .id;
    };
    Act remove = [](store::Tx& tx, std::int64_t id) { tx.tombstone("plan", id); };
    team.refused(team.lina, make, remove, "only a manager or a leader may set quotas");
    team.allowed(team.zhang, make, remove);
    team.allowed(team.chen, make, remove);
}

TEST_CASE("write rule: notes on conduct are the manager's") {
    Team team;
    auto note = [&](const reps::Rep& by) {
        return [&team, &by](store::Tx& tx) {
            tx.insert("rep_note", {{"rep_id", team.wang.id},
                                   {"kind", "coach"},
                                   {"text", "多问需求"},
                                   {"author_id", by.id}});
        };
    };
    team.refused(team.lina, note(team.lina),
                 "insert of rep_note: only a manager may write notes on conduct (lina is a rep)");
    team.refused(team.chen, note(team.chen), "only a manager may write notes on conduct");
    team.allowed(team.zhang, note(team.zhang));
}

TEST_CASE("write rule: who is on the team and in which role is a manager's or a leader's") {
    Team team;
    int n = 0;
    auto join = [&](store::Tx& tx) {
        auto handle = fmt::format("new{}", ++n);
        tx.insert("rep", {{"handle", handle}, {"name", handle}});
    };
    team.refused(team.lina, join, "insert of rep: only a manager or a leader may change the team");
    team.allowed(team.zhang, join);
    team.allowed(team.chen, join);

    // A role given: to a teammate, or to oneself.
    Make teammate = [&](store::Tx& tx) {
        auto handle = fmt::format("new{}", ++n);
        return tx.insert("rep", {{"handle", handle}, {"name", handle}}).id;
    };
    Act promote = [](store::Tx& tx, std::int64_t id) {
        tx.update("rep", id, {{"role", "manager"}});
    };
    team.refused(team.lina, teammate, promote, "update of rep: only a manager or a leader");
    team.allowed(team.zhang, teammate, promote);
    team.allowed(team.chen, teammate, promote);
    team.refused(
        team.wang, [&](store::Tx& tx) { promote(tx, team.wang.id); },
        "only a manager or a leader may change the team (wang is a rep)");
    // Leaving the team: deactivated or removed.
    team.refused(team.lina, teammate, [](store::Tx& tx, std::int64_t id) {
        tx.update("rep", id, {{"active", 0}});
    });
    team.refused(team.lina, teammate,
                 [](store::Tx& tx, std::int64_t id) { tx.tombstone("rep", id); });
    team.allowed(team.zhang, teammate,
                 [](store::Tx& tx, std::int64_t id) { tx.tombstone("rep", id); });
}

TEST_CASE("write rule: the role is the store's, not the one the actor was read with") {
    Team team;
    reps::Rep claimed = team.lina;
    claimed.role = "manager";
    team.refused(
        claimed,
        [&](store::Tx& tx) {
            tx.insert("plan", {{"day", "2026-11-27"},
                               {"rep_id", team.lina.id},
                               {"visits", 20},
                               {"set_by", team.lina.id}});
        },
        "(lina is a rep)");
    // Demoted earlier in the same command: the later calls are judged by the new role.
    team.refused(team.zhang, [&](store::Tx& tx) {
        tx.update("rep", team.zhang.id, {{"role", "rep"}});
        tx.update("rep", team.chen.id, {{"role", "rep"}});
    });
}

TEST_CASE("write rule: a meeting is closed and marked by the manager, approved by the leader") {
    Team team;
    int n = 0;
    auto day = [&] { return fmt::format("2026-12-{:02}", ++n); };
    Make open = [&](store::Tx& tx) { return team.meeting(tx, day(), false); };
    Make closed = [&](store::Tx& tx) { return team.meeting(tx, day(), true); };

    // Closing, by updating the day's row or by making it closed.
    Act close = [&](store::Tx& tx, std::int64_t id) {
        tx.update("meeting", id,
                  {{"closed_at", "2026-12-01T10:00:00Z"},
                   {"closed_by", team.zhang.id},
                   {"markdown", "# 晨会"}});
    };
    team.refused(team.lina, open, close, "update of meeting: only a manager may close a meeting");
    team.refused(team.chen, open, close, "only a manager may close a meeting (chen is a leader)");
    team.allowed(team.zhang, open, close);
    auto close_new = [&](store::Tx& tx) { team.meeting(tx, day(), true); };
    team.refused(team.lina, close_new, "insert of meeting: only a manager may close a meeting");
    team.refused(team.chen, close_new, "only a manager may close a meeting");
    team.allowed(team.zhang, close_new);

    // A sharing day.
    Act sharing = [](store::Tx& tx, std::int64_t id) {
        tx.update("meeting", id, {{"kind", "sharing"}});
    };
    team.refused(team.lina, open, sharing, "only a manager may mark a sharing day");
    team.refused(team.chen, open, sharing, "only a manager may mark a sharing day");
    team.allowed(team.zhang, open, sharing);

    // Approval.
    auto approve = [&](const reps::Rep& by) {
        return [&by](store::Tx& tx, std::int64_t id) {
            tx.update("meeting", id,
                      {{"approved_at", "2026-12-01T12:00:00Z"},
                       {"approved_by", by.id},
                       {"approval_comment", "同意"}});
        };
    };
    team.refused(team.lina, closed, approve(team.lina),
                 "update of meeting: only a leader may approve a meeting (lina is a rep)");
    team.refused(team.zhang, closed, approve(team.zhang),
                 "only a leader may approve a meeting (zhang is a manager)");
    team.allowed(team.chen, closed, approve(team.chen));

    // Removing a day's meeting is the manager's too.
    Act remove = [](store::Tx& tx, std::int64_t id) { tx.tombstone("meeting", id); };
    team.refused(team.lina, closed, remove);
    team.refused(team.chen, closed, remove);
    team.allowed(team.zhang, closed, remove);
}

TEST_CASE("write rule: a new record credited to a rep is the creating command's to judge") {
    Team team;
    // wang logs a visit, sets a follow-up and records an order for lina: not judged here.
    team.allowed(team.wang, [&](store::Tx& tx) {
        tx.insert("visit", {{"rep_id", team.lina.id},
                            {"customer_id", team.company},
                            {"at_utc", "2026-11-26T02:00:00Z"},
                            {"day", "2026-11-26"},
                            {"outcome", "contact"}});
        tx.insert(
            "followup",
            {{"customer_id", team.company}, {"rep_id", team.lina.id}, {"due_day", "2026-11-27"}});
        auto order = team.order(tx, team.lina.id);
        tx.insert("payment", {{"order_id", order}, {"day", "2026-11-26"}, {"amount_cents", 5000}});
        Team::customer(tx, "新客户", team.lina.id);
    });
    // But one change to lina's in the same command and the whole command is refused.
    team.refused(team.wang, [&](store::Tx& tx) {
        tx.insert("visit", {{"rep_id", team.wang.id},
                            {"customer_id", team.company},
                            {"at_utc", "2026-11-26T03:00:00Z"},
                            {"day", "2026-11-26"},
                            {"outcome", "contact"}});
        tx.update("customer", team.company, {{"notes", "wang 写的"}});
    });
    // A building is the team's shared map: anyone's.
    team.allowed(team.wang, [](store::Tx& tx) {
        tx.insert("building", {{"name", "华宇大厦"}, {"name_key", "华宇大厦"}});
    });
}
