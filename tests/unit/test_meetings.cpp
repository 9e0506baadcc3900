#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "domain/contacts.hpp"
#include "domain/customers.hpp"
#include "domain/meeting_fingerprint.hpp"
#include "domain/meeting_report.hpp"
#include "domain/meetings.hpp"
#include "domain/team.hpp"
#include "domain/visits.hpp"
#include "errors.hpp"
#include "fixture.hpp"
#include "render/meeting_summary.hpp"
#include "store/sqlite/connection.hpp"
#include "text/sha256.hpp"

using namespace fieldbook;

namespace {

text::Day day(const char* iso) {
    return text::parse_iso_day(iso);
}

struct Office : testing::TestStore {
    Office() : testing::TestStore("2026-11-27T18:00:00+08:00") {  // a Friday evening
        zhang = add_rep("zhang");
        li = add_rep("li");
        wang = add_rep("wang", "manager");
        chen = add_rep("chen", "leader");
    }

    visits::Visit log(const reps::Rep& who, const std::string& customer, const std::string& outcome,
                      const char* when) {
        visits::NewVisit v{.customer = customer, .allow_duplicate = true};
        v.fields.outcome = outcome;
        v.fields.at = text::parse_iso_instant(when, zone, "at");
        return store.write([&] { return visits::add(session, who, v); }).visit;
    }

    meeting_report::Report report(const char* iso) {
        return meeting_report::build(session, day(iso), 7);
    }

    reps::Rep zhang, li, wang, chen;
};

}  // namespace

TEST_CASE("meetings: the next working day skips the weekend") {
    CHECK(meetings::next_working_day(day("2026-11-26")) == day("2026-11-27"));
    CHECK(meetings::next_working_day(day("2026-11-27")) == day("2026-11-30"));
    CHECK(meetings::next_working_day(day("2026-11-28")) == day("2026-11-30"));
}

TEST_CASE("meetings: quotas from the day before meet the visits of the day") {
    Office o;
    o.store.write([&] {
        meetings::set_plan(o.session, o.wang, o.zhang, day("2026-11-27"), 8, std::string("B座"));
        meetings::set_plan(o.session, o.wang, o.li, day("2026-11-27"), 5, std::nullopt);
        // Planning again replaces.
        meetings::set_plan(o.session, o.chen, o.li, day("2026-11-27"), 6, std::nullopt);
    });
    o.log(o.zhang, "甲公司", "contact", "2026-11-27T10:00:00+08:00");
    o.log(o.zhang, "乙公司", "intent", "2026-11-27T11:00:00+08:00");
    o.log(o.li, "丙公司", "order", "2026-11-27T15:00:00+08:00");
    o.log(o.li, "丁公司", "refused", "2026-11-26T15:00:00+08:00");  // the day before
    o.store.write([&] {
        meetings::add_note(o.session, o.zhang, o.zhang, day("2026-11-27"), "self-review", "讲太快");
        meetings::add_note(o.session, o.wang, o.wang, day("2026-11-27"), "manager", "明天跟进意向");
        meetings::set_plan(o.session, o.wang, o.zhang, day("2026-11-30"), 10, std::nullopt);
    });
    auto r = o.report("2026-11-27");
    REQUIRE(r.reps.size() == 2);
    CHECK(r.reps[0].rep == "li");
    CHECK(r.reps[0].quota == 6);
    CHECK(r.reps[0].visits.size() == 1);
    CHECK(r.reps[1].rep == "zhang");
    CHECK(r.reps[1].quota == 8);
    CHECK(r.reps[1].goal == std::optional<std::string>("B座"));
    CHECK(r.reps[1].outcomes[2] == 1);  // contact
    CHECK(r.reps[1].outcomes[4] == 1);  // intent
    REQUIRE(r.reps[1].notes.size() == 1);
    CHECK(r.manager_notes.size() == 1);
    CHECK(r.total_visits == 3);
    CHECK(r.total_quota == 14);
    CHECK(r.intents_and_orders.size() == 2);
    CHECK(r.new_customers == std::vector<std::string>{"丙公司", "乙公司", "甲公司"});
    CHECK(r.next_day == "2026-11-30");
    REQUIRE(r.next_plans.size() == 1);
    CHECK(r.next_plans[0].visits == 10);
    auto md = render::meeting_summary_markdown(r);
    // The manager reviews first: their notes come before any rep's section.
    CHECK(md.find("明天跟进意向") < md.find("## li"));
    CHECK(md.find("讲太快") != std::string::npos);
    auto html = render::meeting_summary_html(md, "t");
    CHECK(html.find("<table>") != std::string::npos);
    CHECK(html.find("<td>甲公司</td>") != std::string::npos);
}

TEST_CASE("meetings: roles are enforced and refusals write nothing") {
    Office o;
    auto d = day("2026-11-27");
    auto count = [&](const char* table) {
        return fieldbook::store::database(o.store)
            .execAndGet(std::string("SELECT COUNT(*) FROM ") + table)
            .getInt64();
    };
    CHECK_THROWS_AS(o.store.write([&] { meetings::set_plan(o.session, o.zhang, o.li, d, 5, {}); }),
                    UsageError);
    CHECK_THROWS_AS(
        o.store.write([&] { meetings::add_note(o.session, o.zhang, o.zhang, d, "manager", "x"); }),
        UsageError);
    CHECK_THROWS_AS(
        o.store.write([&] { meetings::add_note(o.session, o.zhang, o.li, d, "idea", "x"); }),
        UsageError);
    CHECK_THROWS_AS(o.store.write([&] { meetings::close(o.session, o.zhang, d, "# x"); }),
                    UsageError);
    CHECK_THROWS_AS(o.store.write([&] { meetings::close(o.session, o.chen, d, "# x"); }),
                    UsageError);
    CHECK_THROWS_AS(o.store.write([&] { meetings::set_kind(o.session, o.li, d, "sharing"); }),
                    UsageError);
    CHECK(count("plan") == 0);
    CHECK(count("meeting_note") == 0);
    CHECK(count("meeting") == 0);
    CHECK_THROWS_AS(
        o.store.write([&] { team::add_task(o.session, o.zhang, o.li, "学习目录", std::nullopt); }),
        UsageError);
    CHECK_THROWS_AS(o.store.write([&] { team::add_note(o.session, o.chen, o.li, "warn", "x"); }),
                    UsageError);
    CHECK(count("rep_task") == 0);
    CHECK(count("rep_note") == 0);
}

TEST_CASE("meetings: a closed summary is immutable, and approval needs a closed day") {
    Office o;
    auto d = day("2026-11-27");
    auto v = o.log(o.zhang, "甲公司", "contact", "2026-11-27T10:00:00+08:00");
    // Approving an open day is refused.
    CHECK_THROWS_AS(o.store.write([&] { meetings::approve(o.session, o.chen, d, "好"); }),
                    UsageError);
    CHECK(meetings::get(o.session, d).status == "open");

    auto before = o.report("2026-11-27");
    std::string md = render::meeting_summary_markdown(before);
    o.store.write([&] { meetings::close(o.session, o.wang, d, md); });
    auto closed = meetings::get(o.session, d);
    CHECK(closed.status == "closed");
    CHECK(closed.markdown == md);
    CHECK(closed.sha256 == text::sha256_hex(md));
    CHECK(closed.closed_by == std::optional<std::string>("wang"));
    CHECK(closed.records_fingerprint == meeting_fingerprint::of_day(o.store, d));
    CHECK_FALSE(meetings::records_changed_since_closing(o.session, closed));

    // Later edits change the live report, not the archive; the fingerprint tells.
    o.store.write([&] { visits::edit(o.session, o.zhang, v.id, {.note = "改了备注"}); });
    CHECK(meetings::get(o.session, d).markdown == md);
    CHECK(meeting_fingerprint::of_day(o.store, d) != closed.records_fingerprint);
    CHECK(meetings::records_changed_since_closing(o.session, closed));
    CHECK_THROWS_AS(o.store.write([&] { meetings::close(o.session, o.wang, d, "# y"); }),
                    UsageError);
    CHECK_THROWS_AS(
        o.store.write([&] { meetings::add_note(o.session, o.zhang, o.zhang, d, "idea", "晚了"); }),
        UsageError);

    CHECK_THROWS_AS(o.store.write([&] { meetings::approve(o.session, o.wang, d, "好"); }),
                    UsageError);
    o.store.write([&] { meetings::approve(o.session, o.chen, d, "同意，下周继续"); });
    auto approved = meetings::get(o.session, d);
    CHECK(approved.status == "approved");
    CHECK(approved.approval_comment == std::optional<std::string>("同意，下周继续"));
    CHECK_THROWS_AS(o.store.write([&] { meetings::approve(o.session, o.chen, d, "再批"); }),
                    UsageError);
}

TEST_CASE("meetings: the third warning is counted for the escalation reminder") {
    Office o;
    team::Noted last;
    for (int i = 0; i < 3; ++i)
        last = o.store.write(
            [&] { return team::add_note(o.session, o.wang, o.zhang, "warn", "迟到"); });
    o.store.write([&] { team::add_note(o.session, o.wang, o.zhang, "commend", "签单"); });
    CHECK(last.warnings == 3);
    CHECK(last.warnings >= team::kWarningsBeforeEscalation);
    auto id = o.store.write([&] {
        return team::add_task(o.session, o.wang, o.zhang, "熟悉硒鼓型号", day("2026-12-01"));
    });
    CHECK_THROWS_AS(
        o.store.write([&] { team::complete_task(o.session, o.li, std::to_string(id)); }),
        UsageError);
    auto done =
        o.store.write([&] { return team::complete_task(o.session, o.zhang, std::to_string(id)); });
    CHECK(done.done_at);
    CHECK_THROWS_AS(
        o.store.write([&] { team::complete_task(o.session, o.zhang, std::to_string(id)); }),
        UsageError);
}

TEST_CASE("meetings: customers, contacts, quotas, notes and tasks are written to the op log") {
    Office o;
    std::int64_t seen = 0;
    // The operations logged since the last call: table, kind, old and new values.
    auto logged = [&] {
        auto rows = o.store.read([&](store::Tx& tx) {
            return tx.all(
                "SELECT id, record_table, kind, old_values, new_values FROM op_log "
                "WHERE id > ? ORDER BY id",
                {seen});
        });
        if (!rows.empty()) seen = rows.back().integer("id");
        return rows;
    };
    auto json = [](const store::Row& row, const char* column) {
        return nlohmann::json::parse(row.text(column));
    };
    logged();  // the team's reps

    auto customer = o.store.write([&] {
        return customers::add(o.session, o.zhang, {.name = "蓝海科技", .owner = "zhang"}, false);
    });
    auto ops = logged();
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].text("record_table") == "customer");
    CHECK(ops[0].text("kind") == "insert");
    auto added = json(ops[0], "new_values");
    CHECK(added["name"] == "蓝海科技");
    CHECK(added["owner_id"] == o.zhang.id);
    CHECK(added["status"] == "prospect");
    CHECK(added["source"] == "sweep");
    CHECK(added["floor"].is_null());

    o.store.write([&] {
        customers::edit(o.session, o.zhang, customer.id, {.headcount = 40, .status = "contacted"});
    });
    ops = logged();
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].text("record_table") == "customer");
    CHECK(ops[0].text("kind") == "update");
    CHECK(json(ops[0], "old_values") ==
          nlohmann::json{{"headcount", nullptr}, {"status", "prospect"}});
    CHECK(json(ops[0], "new_values") == nlohmann::json{{"headcount", 40}, {"status", "contacted"}});

    o.store.write([&] {
        contacts::upsert(o.session, o.zhang, customer.id,
                         {.name = "王经理", .role = "purchaser", .phone = "13800000000"});
    });
    ops = logged();
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].text("record_table") == "contact");
    CHECK(ops[0].text("kind") == "insert");
    auto contact = json(ops[0], "new_values");
    CHECK(contact["customer_id"] == customer.id);
    CHECK(contact["name"] == "王经理");
    CHECK(contact["role"] == "purchaser");
    CHECK(contact["phone"] == "13800000000");
    CHECK(contact["card"] == 0);

    auto d = day("2026-11-30");
    o.store.write([&] { meetings::set_plan(o.session, o.wang, o.zhang, d, 8, std::nullopt); });
    ops = logged();
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].text("record_table") == "plan");
    CHECK(ops[0].text("kind") == "insert");
    CHECK(json(ops[0], "new_values") ==
          nlohmann::json{
              {"day", "2026-11-30"}, {"rep_id", o.zhang.id}, {"visits", 8}, {"set_by", o.wang.id}});
    // Planning again tombstones the plan it replaces.
    o.store.write([&] { meetings::set_plan(o.session, o.wang, o.zhang, d, 6, std::nullopt); });
    ops = logged();
    REQUIRE(ops.size() == 2);
    CHECK(ops[0].text("record_table") == "plan");
    CHECK(ops[0].text("kind") == "tombstone");
    CHECK(ops[1].text("kind") == "insert");
    CHECK(json(ops[1], "new_values")["visits"] == 6);

    o.store.write([&] {
        meetings::add_note(o.session, o.zhang, o.zhang, day("2026-11-27"), "self-review", "讲太快");
    });
    ops = logged();
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].text("record_table") == "meeting_note");
    CHECK(ops[0].text("kind") == "insert");
    CHECK(json(ops[0], "new_values") == nlohmann::json{{"day", "2026-11-27"},
                                                       {"rep_id", o.zhang.id},
                                                       {"kind", "self-review"},
                                                       {"text", "讲太快"},
                                                       {"author_id", o.zhang.id}});

    auto task = o.store.write([&] {
        return team::add_task(o.session, o.wang, o.zhang, "熟悉硒鼓型号", day("2026-12-01"));
    });
    ops = logged();
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].text("record_table") == "rep_task");
    CHECK(ops[0].text("kind") == "insert");
    CHECK(json(ops[0], "new_values") == nlohmann::json{{"rep_id", o.zhang.id},
                                                       {"text", "熟悉硒鼓型号"},
                                                       {"due_day", "2026-12-01"},
                                                       {"assigned_by", o.wang.id}});
    o.store.write([&] { team::complete_task(o.session, o.zhang, std::to_string(task)); });
    ops = logged();
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].text("record_table") == "rep_task");
    CHECK(ops[0].text("kind") == "update");
    CHECK(json(ops[0], "old_values") == nlohmann::json{{"done_at", nullptr}});
    CHECK(json(ops[0], "new_values") == nlohmann::json{{"done_at", "2026-11-27T10:00:00Z"}});
}
